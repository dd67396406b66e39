import { hash, verify } from '@node-rs/argon2';

/**
 * argon2id with OWASP's first parameter row (AUTH-01): 19 MiB, 2 passes, 1 lane. The PHC string
 * stores its parameters, so hashes made with older parameters still verify, and `needsRehash`
 * upgrades them on the next successful login.
 */
const PARAMS = {
	algorithm: 2 /* Argon2id */,
	memoryCost: 19456,
	timeCost: 2,
	parallelism: 1
} as const;

export function hashPassword(password: string): Promise<string> {
	return hash(password, PARAMS);
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
	try {
		return await verify(stored, password);
	} catch {
		// A malformed stored hash is a failed login, never a crash.
		return false;
	}
}

export function needsRehash(stored: string): boolean {
	const m = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/u.exec(stored);
	if (!m) return true;
	return Number(m[1]) < PARAMS.memoryCost || Number(m[2]) < PARAMS.timeCost;
}

let dummy: Promise<string> | null = null;

/**
 * AUTH-05: when the username is unknown, verify against a hash made at start-up with the same
 * parameters, so an unknown user costs the same time as a wrong password.
 */
export async function verifyDummy(password: string): Promise<false> {
	dummy ??= hash('yoriai-dummy-password-for-timing', PARAMS);
	await verifyPassword(await dummy, password);
	return false;
}

export function warmDummyHash(): Promise<string> {
	dummy ??= hash('yoriai-dummy-password-for-timing', PARAMS);
	return dummy;
}
