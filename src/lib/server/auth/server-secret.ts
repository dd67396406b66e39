import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';

/** 32 bytes, written as 64 hex digits so an operator can back it up as text. */
const SECRET_BYTES = 32;
const HEX = /^[0-9a-f]{64}$/u;

/**
 * The server's own secret, kept in a file outside the database (INV-01): invite links are
 * derived from it, so a copy of the database alone opens no board. Created on first start with
 * mode 0600; an unreadable or malformed file stops the server rather than silently making every
 * link invalid.
 *
 * Several processes may start at once on one shared file (issue 15). Each writes its candidate
 * to a file of its own and then hard-links it to `path`, which succeeds for exactly one of them
 * and never shows anyone a half-written file; the others read the winner's.
 */
export function loadServerSecret(path: string): Uint8Array {
	// On PostgreSQL nothing else creates the data folder the default path lies in.
	mkdirSync(dirname(path), { recursive: true });
	const candidate = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.new`;
	writeFileSync(candidate, `${randomBytes(SECRET_BYTES).toString('hex')}\n`, { mode: 0o600 });
	try {
		linkSync(candidate, path);
	} catch (e) {
		if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
	} finally {
		unlinkSync(candidate);
	}
	const text = readFileSync(path, 'utf8').trim();
	if (!HEX.test(text))
		throw new Error(`${path} is not a Yoriai secret (64 hex digits); restore it from a backup`);
	return Uint8Array.from(Buffer.from(text, 'hex'));
}
