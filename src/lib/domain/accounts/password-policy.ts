import { dictionary } from '@zxcvbn-ts/language-common';

/**
 * Password policy (AUTH-02, AUTH-03). Length is counted in Unicode code points, the password is
 * never trimmed or truncated, and any characters are allowed (spaces, kana, emoji). The minimum
 * follows ASVS 5 level 1 (8); the maximum bounds the work argon2 does for one request.
 */
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

/** ~49,000 common passwords from zxcvbn-ts' list. */
const COMMON = new Set(dictionary.passwords);

/** Keyboard and alphabet runs that common-password lists only hold in a few lengths. */
const WALKS = [
	'qwertyuiopasdfghjklzxcvbnm',
	'azertyuiopqsdfghjklmwxcvbn',
	'abcdefghijklmnopqrstuvwxyz',
	'01234567890123456789',
	'09876543210987654321',
	'1qaz2wsx3edc4rfv5tgb6yhn7ujm'
];

export type PasswordProblem = 'password_too_short' | 'password_too_long' | 'password_common';

export function checkPassword(password: string, username = ''): PasswordProblem | null {
	const length = [...password].length;
	if (length < PASSWORD_MIN) return 'password_too_short';
	if (length > PASSWORD_MAX) return 'password_too_long';
	if (isCommon(password, username)) return 'password_common';
	return null;
}

function isCommon(password: string, username: string): boolean {
	const lower = password.toLowerCase();
	if (COMMON.has(lower)) return true;
	// "password123456": a listed word with digits or symbols tacked on is just as guessable.
	const stem = lower.replace(/[\d\W_]+$/u, '');
	if (stem.length >= 4 && stem !== lower && COMMON.has(stem)) return true;
	if (WALKS.some((w) => w.includes(lower))) return true;
	if (/^(.)\1*$/u.test(lower)) return true;
	const user = username.toLowerCase();
	return user.length >= 3 && (lower === user || stem === user);
}
