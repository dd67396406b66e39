import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';

/**
 * A card's wording as a ballot records it: a hash of its title and note. When either changes
 * after someone voted, their entry's hash no longer matches and they see "edited since you
 * voted". A hash, not the text, keeps ballots small; the text itself is in the board's history.
 */
export function wordingHash(title: string, note: string): string {
	const bytes = new TextEncoder().encode(`${title}\u0000${note}`);
	return encodeHexLowerCase(sha256(bytes)).slice(0, 32);
}
