/**
 * Username policy (AUTH-11). Usernames are login handles, not display names (those may be any
 * Japanese or English text). To make look-alike accounts impossible they are ASCII after NFKC
 * normalisation — so full-width `ａｄｍｉｎ` typed through a Japanese IME *is* `admin`, while
 * Cyrillic `аdmin` is refused — and compared case-insensitively through `username_key`.
 */
export const USERNAME_MIN = 3;
export const USERNAME_MAX = 32;
const ALLOWED = /^[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?$/u;

export type UsernameResult =
	| { ok: true; username: string; key: string }
	| { ok: false; error: 'username_length' | 'username_chars' };

export function normalizeUsername(input: string): UsernameResult {
	const username = input.normalize('NFKC').trim();
	if (username.length < USERNAME_MIN || username.length > USERNAME_MAX)
		return { ok: false, error: 'username_length' };
	const key = username.toLowerCase();
	if (!ALLOWED.test(key)) return { ok: false, error: 'username_chars' };
	return { ok: true, username, key };
}
