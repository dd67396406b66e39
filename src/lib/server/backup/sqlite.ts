import SQLite from 'better-sqlite3';
import {
	closeSync,
	copyFileSync,
	existsSync,
	fsyncSync,
	mkdirSync,
	openSync,
	readdirSync,
	renameSync,
	statSync,
	unlinkSync
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DatabaseInUseError, lockDatabase } from '../db/process-lock';

/**
 * Everything SQLite-specific about backups lives here (PostgreSQL's, made with pg_dump, are in
 * postgres.ts). A backup is made with SQLite's online backup API through better-sqlite3 — never a
 * copy of the file, which for a live WAL database misses what is still in the WAL and can tear
 * mid-write — into `<dir>/<name>.partial`, verified, synced, and only then renamed to its final
 * name. A crash at any moment leaves the database untouched, every earlier backup as it was, and
 * at worst a `.partial` file that is never taken for a backup and is swept on the next run.
 */

export const BACKUP_PREFIX = 'yoriai-';
export const BACKUP_SUFFIX = '.db';
const PARTIAL = '.partial';

export interface BackupResult {
	file: string;
	bytes: number;
	ms: number;
	/** Rows per table in the backup, read back after writing. */
	counts: Record<string, number>;
}

export interface BackupOptions {
	/** Pages copied per step; between steps the event loop serves others. */
	stepPages?: number;
	/** The clock, for the file's name. */
	now?: () => number;
}

/**
 * `yoriai-20261203-091500-123.db` (`.dump` on PostgreSQL): sorts by time, UTC so servers in any
 * zone agree.
 */
export function backupName(at: number, suffix = BACKUP_SUFFIX): string {
	const iso = new Date(at).toISOString(); // 2026-12-03T09:15:00.123Z
	const stamp = `${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 19).replaceAll(':', '')}-${iso.slice(20, 23)}`;
	return `${BACKUP_PREFIX}${stamp}${suffix}`;
}

/** Finished backups in `dir`, oldest first (names sort by time). */
export function listBackups(dir: string, suffix = BACKUP_SUFFIX): string[] {
	if (!existsSync(dir)) return [];
	return readdirSync(dir)
		.filter((f) => f.startsWith(BACKUP_PREFIX) && f.endsWith(suffix))
		.sort()
		.map((f) => join(dir, f));
}

/** After writing, so an acknowledged backup survives power loss: the file, then its folder entry. */
function fsyncPath(path: string): void {
	const fd = openSync(path, 'r');
	try {
		fsyncSync(fd);
	} finally {
		closeSync(fd);
	}
}

/**
 * An online backup of the open connection `source` into `dir`. When the database is written by
 * another connection (the realtime log writer) between two steps, SQLite restarts the copy; after
 * a few restarts the rest is copied in one step, which reads one consistent snapshot and cannot
 * be restarted (WAL readers never block writers), so a busy server still gets its backup.
 */
export async function backupSqlite(
	source: SQLite.Database,
	dir: string,
	opts: BackupOptions = {}
): Promise<BackupResult> {
	const started = Date.now();
	const target = resolve(dir);
	mkdirSync(target, { recursive: true });
	const name = backupName((opts.now ?? Date.now)());
	const partial = join(target, name + PARTIAL);
	const final = join(target, name);
	if (existsSync(final)) throw new Error(`${final} already exists`);
	const step = Math.max(1, Math.floor(opts.stepPages ?? 256));
	let lastRemaining = Infinity;
	let restarts = 0;
	try {
		await source.backup(partial, {
			progress: ({ remainingPages }) => {
				if (remainingPages > lastRemaining) restarts++;
				lastRemaining = remainingPages;
				return restarts >= 3 ? 0x7fffffff : step;
			}
		});
		const counts = verifyBackup(partial, { singleFile: true });
		fsyncPath(partial);
		renameSync(partial, final);
		fsyncPath(target);
		return { file: final, bytes: statSync(final).size, ms: Date.now() - started, counts };
	} catch (e) {
		for (const f of [partial, `${partial}-journal`]) if (existsSync(f)) unlinkSync(f);
		throw e;
	}
}

export class BackupInvalidError extends Error {
	constructor(file: string, why: string) {
		super(`${file} is not a usable Yoriai backup: ${why}`);
		this.name = 'BackupInvalidError';
	}
}

/**
 * Opens a backup and checks it: SQLite's `integrity_check`, the migrations table present (it is
 * a Yoriai database), and every table readable; returns the row count of each table. With
 * `singleFile` (a backup just written) the journal mode becomes DELETE, so the backup is one
 * self-contained file with no -wal beside it.
 */
export function verifyBackup(
	file: string,
	opts: { singleFile?: boolean } = {}
): Record<string, number> {
	if (!existsSync(file)) throw new BackupInvalidError(file, 'no such file');
	let db: SQLite.Database;
	try {
		db = new SQLite(file, { readonly: !opts.singleFile, fileMustExist: true });
	} catch (e) {
		throw new BackupInvalidError(file, (e as Error).message);
	}
	try {
		if (opts.singleFile) db.pragma('journal_mode = DELETE');
		const check = db.pragma('integrity_check') as { integrity_check: string }[];
		const verdict = check.map((r) => r.integrity_check).join('; ');
		if (verdict !== 'ok') throw new BackupInvalidError(file, `integrity_check: ${verdict}`);
		const tables = (
			db
				.prepare(
					"select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name"
				)
				.all() as { name: string }[]
		).map((r) => r.name);
		if (!tables.includes('kysely_migration'))
			throw new BackupInvalidError(file, 'no migrations table');
		const counts: Record<string, number> = {};
		for (const t of tables) {
			const row = db.prepare(`select count(*) as n from "${t.replaceAll('"', '""')}"`).get() as {
				n: number;
			};
			counts[t] = row.n;
		}
		return counts;
	} catch (e) {
		if (e instanceof BackupInvalidError) throw e;
		throw new BackupInvalidError(file, (e as Error).message);
	} finally {
		db.close();
	}
}

/** Keeps the newest `keep` backups in `dir` and removes older ones and stale `.partial` files. */
export function pruneBackups(dir: string, keep: number, suffix = BACKUP_SUFFIX): string[] {
	const removed: string[] = [];
	const all = listBackups(dir, suffix);
	for (const f of all.slice(0, Math.max(0, all.length - keep))) {
		unlinkSync(f);
		removed.push(f);
	}
	if (existsSync(dir))
		for (const f of readdirSync(dir))
			if (f.startsWith(BACKUP_PREFIX) && f.endsWith(PARTIAL)) {
				unlinkSync(join(dir, f));
				removed.push(join(dir, f));
			}
	return removed;
}

/**
 * Restores `backup` as the database at `databasePath`, for a stopped instance only: the
 * database's process lock (held by a running server, db:migrate, db:seed) must be free, else
 * DatabaseInUseError. The current database and its -wal/-shm are moved aside (never deleted) as
 * `<database>.before-restore-<time>*` — a -wal left by a crash holds committed data, and left in
 * place it would be replayed onto the restored file. The backup is verified first and copied
 * under a temporary name, synced, then renamed into place.
 */
export function restoreSqlite(
	backup: string,
	databasePath: string,
	now = Date.now()
): { movedAside: string[]; counts: Record<string, number> } {
	const source = resolve(backup);
	if (source.endsWith(PARTIAL)) throw new BackupInvalidError(source, 'an unfinished backup');
	const counts = verifyBackup(source);
	const target = resolve(databasePath);
	const lock = lockDatabase(target, 'db:restore');
	try {
		const stamp = backupName(now).slice(BACKUP_PREFIX.length, -BACKUP_SUFFIX.length);
		const movedAside: string[] = [];
		for (const suffix of ['', '-wal', '-shm']) {
			const f = target + suffix;
			if (!existsSync(f)) continue;
			const aside = `${target}.before-restore-${stamp}${suffix}`;
			renameSync(f, aside);
			movedAside.push(aside);
		}
		const incoming = `${target}.restoring`;
		copyFileSync(source, incoming);
		fsyncPath(incoming);
		renameSync(incoming, target);
		fsyncPath(dirname(target));
		// The server runs the database in WAL mode; set it now so the first start finds it so.
		const db = new SQLite(target);
		try {
			db.pragma('journal_mode = WAL');
		} finally {
			db.close();
		}
		return { movedAside, counts };
	} finally {
		lock.release();
	}
}

export { DatabaseInUseError };
