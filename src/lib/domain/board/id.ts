import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';

/**
 * Board ids: 12 characters of lowercase base32 (60 random bits). Random rather than sequential
 * because they appear in URLs and socket paths; access is checked separately, but ids should not
 * be enumerable. The same pattern validates every route and socket path.
 */
export const BOARD_ID = /^[a-z2-7]{12}$/u;

export function generateBoardId(): string {
	const bytes = new Uint8Array(8);
	crypto.getRandomValues(bytes);
	return encodeBase32LowerCaseNoPadding(bytes).slice(0, 12);
}

export function isBoardId(value: string): boolean {
	return BOARD_ID.test(value);
}

/** Card, lane and comment ids inside a board document: short, random, collision-safe enough. */
export function generateLocalId(): string {
	const bytes = new Uint8Array(9);
	crypto.getRandomValues(bytes);
	return encodeBase32LowerCaseNoPadding(bytes);
}
