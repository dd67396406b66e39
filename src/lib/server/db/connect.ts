import SQLite from 'better-sqlite3';
import {
	CompiledQuery,
	Kysely,
	SqliteDialect,
	SqliteDriver,
	type DatabaseConnection,
	type Driver,
	type SqliteDatabase
} from 'kysely';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Database } from './schema';

export type Db = Kysely<Database>;

export interface SqliteHandle {
	dialect: 'sqlite';
	db: Db;
	/** The raw connection, for pragmas, backups and shutdown only: every query goes through `db`. */
	sqlite: SQLite.Database;
}

/**
 * Opens (creating if needed) the SQLite database at `path`.
 *
 * - `journal_mode=WAL`: readers never block the writer, and the writer never blocks readers.
 * - `synchronous=FULL`: every commit is synced to the WAL before it returns. Yoriai acknowledges
 *   edits and votes only after they commit, and promises that nothing acknowledged is lost — also
 *   on power loss, which `NORMAL` does not survive in WAL mode. The cost is commit latency, which
 *   the realtime log amortises by grouping updates into one transaction.
 * - `foreign_keys=ON`: SQLite leaves it off per connection by default.
 * - `busy_timeout=5000`: wait for a lock (a second process such as `db:seed`) instead of failing.
 *
 * One connection per process: Kysely's SQLite driver serialises every query and transaction on
 * it, so a transaction can never interleave with another request's statements.
 */
export function createDb(path: string): SqliteHandle {
	if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
	const sqlite = new SQLite(path, { timeout: 5000 });
	sqlite.pragma('journal_mode = WAL');
	sqlite.pragma('synchronous = FULL');
	sqlite.pragma('foreign_keys = ON');
	assertPragmas(sqlite, path);
	const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect(sqlite) });
	return { dialect: 'sqlite', db, sqlite };
}

/**
 * DUR-02: transactions start with BEGIN IMMEDIATE, taking the write lock up front. A plain
 * (deferred) BEGIN that reads and then writes fails at once with SQLITE_BUSY — busy_timeout does
 * not apply — when another process (`db:seed`, a test harness) wrote in between.
 */
class ImmediateSqliteDriver extends SqliteDriver {
	override async beginTransaction(connection: DatabaseConnection): Promise<void> {
		await connection.executeQuery(CompiledQuery.raw('begin immediate'));
	}
}

class ImmediateSqliteDialect extends SqliteDialect {
	private readonly database: SqliteDatabase;

	constructor(sqlite: SQLite.Database) {
		const database = keepingStatements(sqlite);
		super({ database });
		this.database = database;
	}

	override createDriver(): Driver {
		return new ImmediateSqliteDriver({ database: this.database });
	}
}

/** Beyond this many distinct SQL texts the kept statements start over (a guard, not expected). */
const KEPT_STATEMENTS = 500;

/**
 * Kysely's SQLite driver prepares every query anew, and preparing was the largest part of the
 * database's time in a board page load (about ten queries each; issue 10). The connection keeps
 * each prepared statement by its SQL text instead. Safe because every query runs to completion
 * synchronously on this one connection before the next starts; only Kysely's `.stream()` (not
 * used) would hold a statement open while another query reused it. SQLite re-prepares a kept
 * statement by itself after a schema change.
 */
function keepingStatements(sqlite: SQLite.Database): SqliteDatabase {
	const kept = new Map<string, SQLite.Statement>();
	return {
		close: () => sqlite.close(),
		prepare(sql: string) {
			let stmt = kept.get(sql);
			if (!stmt) {
				if (kept.size >= KEPT_STATEMENTS) kept.clear();
				stmt = sqlite.prepare(sql);
				kept.set(sql, stmt);
			}
			return stmt;
		}
	};
}

/** DUR-01: refuse to run with settings that would quietly weaken the durability promise. */
function assertPragmas(sqlite: SQLite.Database, path: string): void {
	const journal = sqlite.pragma('journal_mode', { simple: true });
	const sync = sqlite.pragma('synchronous', { simple: true });
	const fk = sqlite.pragma('foreign_keys', { simple: true });
	const expectedJournal = path === ':memory:' ? 'memory' : 'wal';
	if (journal !== expectedJournal || sync !== 2 || fk !== 1) {
		throw new Error(
			`SQLite settings not applied (journal_mode=${String(journal)}, synchronous=${String(sync)}, foreign_keys=${String(fk)})`
		);
	}
}
