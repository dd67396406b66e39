import SQLite from 'better-sqlite3';
import { mkdirSync, realpathSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/**
 * One Yoriai process per database file. The realtime server keeps each open board in memory and
 * appends to its log assuming it is the only writer: a second server on the same file would
 * serve its own clients a diverging board until a commit failed.
 *
 * The guard is an operating-system lock on a small file beside the database,
 * `<database>.lock`, held for the life of the process. It is SQLite's own file lock (fcntl on
 * Unix, LockFileEx on Windows) taken through better-sqlite3, which Yoriai already ships: the
 * lock file is a one-row SQLite database kept in exclusive locking mode. The kernel drops the
 * lock when the process ends in any way — exit, crash, `kill -9` — so there is no stale lock to
 * clean up and a restarted server starts at once, which a PID file or a lock directory with a
 * timeout (proper-lockfile) cannot promise. Readers such as tests or backups open the database
 * itself and are not affected.
 */
export class DatabaseInUseError extends Error {
	constructor(
		readonly databasePath: string,
		readonly lockPath: string
	) {
		super(
			`another Yoriai process is using ${databasePath} (it holds ${lockPath}). ` +
				'One database serves one Yoriai server at a time, and db:migrate and db:seed run ' +
				'only while no server does: stop the other process first.'
		);
		this.name = 'DatabaseInUseError';
	}
}

export interface ProcessLock {
	readonly lockPath: string;
	release(): void;
}

interface Held {
	sqlite: SQLite.Database;
	users: number;
}

// Per process, on globalThis for the same reason as the app itself (two bundles, and Vite's
// dev server re-running its set-up): a process that holds the lock may take it again.
const KEY = Symbol.for('yoriai.process-locks');
type Registry = { [KEY]?: Map<string, Held> };
const held = ((globalThis as Registry)[KEY] ??= new Map<string, Held>());

/** The lock file's path: beside the database, through symlinks, so two names for one file agree. */
export function lockPathFor(databasePath: string): string {
	const dir = resolve(dirname(databasePath));
	mkdirSync(dir, { recursive: true });
	return join(realpathSync(dir), `${basename(databasePath)}.lock`);
}

/**
 * Takes the database's process lock, or throws DatabaseInUseError at once (no waiting) when
 * another process holds it. `what` is recorded in the lock file for whoever looks at it.
 */
export function lockDatabase(databasePath: string, what: string): ProcessLock {
	const lockPath = lockPathFor(databasePath);
	let entry = held.get(lockPath);
	if (!entry) {
		const sqlite = new SQLite(lockPath, { timeout: 0 });
		try {
			// Exclusive locking mode keeps every lock the connection takes until it closes; the
			// write below takes the exclusive one.
			sqlite.pragma('locking_mode = EXCLUSIVE');
			sqlite.exec('CREATE TABLE IF NOT EXISTS holder (pid INTEGER, what TEXT, since TEXT)');
			sqlite.transaction(() => {
				sqlite.exec('DELETE FROM holder');
				sqlite
					.prepare('INSERT INTO holder (pid, what, since) VALUES (?, ?, ?)')
					.run(process.pid, what, new Date().toISOString());
			})();
		} catch (e) {
			sqlite.close();
			if ((e as { code?: string }).code?.startsWith('SQLITE_BUSY'))
				throw new DatabaseInUseError(databasePath, lockPath);
			throw e;
		}
		entry = { sqlite, users: 0 };
		held.set(lockPath, entry);
	}
	entry.users++;
	const taken = entry;
	let released = false;
	return {
		lockPath,
		release() {
			if (released) return;
			released = true;
			if (--taken.users > 0) return;
			held.delete(lockPath);
			taken.sqlite.close();
		}
	};
}
