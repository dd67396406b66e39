import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';

/**
 * Board ids: 12 characters of lowercase base32 (60 random bits). They appear in URLs and in the
 * realtime route, so they are random (not enumerable) and drawn from a fixed alphabet that needs
 * no escaping anywhere. Every place that accepts a board id from outside checks it against
 * `BOARD_ID_PATTERN` first.
 */
export const BOARD_ID_LENGTH = 12;
export const BOARD_ID_PATTERN = /^[a-z2-7]{12}$/u;

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

export function isBoardId(value: unknown): value is string {
	return typeof value === 'string' && BOARD_ID_PATTERN.test(value);
}

/** A fresh board id from the CSPRNG (each byte's low 5 bits pick a letter: no modulo bias). */
export function generateBoardId(): string {
	const bytes = new Uint8Array(BOARD_ID_LENGTH);
	crypto.getRandomValues(bytes);
	let id = '';
	for (const b of bytes) id += ALPHABET[b & 31];
	return id;
}

/** Card, lane and comment ids inside a board document: 72 random bits, unique enough per board. */
export function generateLocalId(): string {
	const bytes = new Uint8Array(9);
	crypto.getRandomValues(bytes);
	return encodeBase32LowerCaseNoPadding(bytes);
}
