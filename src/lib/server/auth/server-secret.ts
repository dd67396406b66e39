import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';

/** 32 bytes, written as 64 hex digits so an operator can back it up as text. */
const SECRET_BYTES = 32;
const HEX = /^[0-9a-f]{64}$/u;

/**
 * The server's own secret, kept in a file outside the database (INV-01): invite links are
 * derived from it, so a copy of the database alone opens no board. Created on first start with
 * mode 0600 (`wx`: two processes racing never overwrite each other's secret); an unreadable or
 * malformed file stops the server rather than silently making every link invalid.
 */
export function loadServerSecret(path: string): Uint8Array {
	try {
		const fd = openSync(path, 'wx', 0o600);
		try {
			writeSync(fd, `${randomBytes(SECRET_BYTES).toString('hex')}\n`);
		} finally {
			closeSync(fd);
		}
	} catch (e) {
		if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
	}
	const text = readFileSync(path, 'utf8').trim();
	if (!HEX.test(text))
		throw new Error(`${path} is not a Yoriai secret (64 hex digits); restore it from a backup`);
	return Uint8Array.from(Buffer.from(text, 'hex'));
}
