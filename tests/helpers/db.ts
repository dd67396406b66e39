import type SQLite from 'better-sqlite3';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createDb } from '../../src/lib/server/db/connect';
import { migrateToLatest } from '../../src/lib/server/db/migrate';
import type { DbHandle } from '../../src/lib/server/db/open';
import { pgDb } from '../../src/lib/server/db/postgres';

/**
 * Which database the unit suite runs on: the vitest project sets YORIAI_TEST_DB (vite.config.ts),
 * `sqlite` by default. The `postgres` project runs the same files against TEST_DATABASE_URL.
 */
export const TEST_DIALECT: DbHandle['dialect'] =
	process.env.YORIAI_TEST_DB === 'postgres' ? 'postgres' : 'sqlite';

/** The server the postgres project uses; test databases are created on it and dropped after. */
export const TEST_DATABASE_URL =
	process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TempDb {
	dialect: DbHandle['dialect'];
	db: DbHandle['db'];
	handle: DbHandle;
	/** The SQLite file, or the PostgreSQL database's URL. */
	path: string;
	/** SQLite's raw connection, for tests that look under Kysely; throws on PostgreSQL. */
	readonly sqlite: SQLite.Database;
	cleanup: () => Promise<void>;
}

/**
 * A fresh database migrated to the latest schema: a real SQLite file in a new temporary folder,
 * or (postgres project) a new PostgreSQL database cloned from a migrated template.
 */
export async function tempDb(): Promise<TempDb> {
	return TEST_DIALECT === 'postgres' ? tempPgDb() : tempSqliteDb();
}

async function tempSqliteDb(): Promise<TempDb> {
	const dir = mkdtempSync(join(tmpdir(), 'yoriai-unit-'));
	const path = join(dir, 'test.db');
	const handle = createDb(path);
	await migrateToLatest(handle.db);
	return {
		dialect: 'sqlite',
		db: handle.db,
		handle,
		path,
		sqlite: handle.sqlite,
		cleanup: async () => {
			await handle.db.destroy();
			rmSync(dir, { recursive: true, force: true });
		}
	};
}

/** `base`'s URL with another database name. */
export function pgUrlFor(name: string, base = TEST_DATABASE_URL): string {
	const u = new URL(base);
	u.pathname = `/${name}`;
	return u.toString();
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
	const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
	await c.connect();
	try {
		return await fn(c);
	} finally {
		await c.end();
	}
}

/** Creates an empty database with the ctype Yoriai needs (postgres.ts checks it). */
export async function createPgDatabase(name: string, template = 'template0'): Promise<string> {
	await admin((c) =>
		c.query(
			`create database "${name}" template "${template}" encoding 'UTF8' lc_ctype 'C.UTF-8' lc_collate 'C.UTF-8'`
		)
	);
	return pgUrlFor(name);
}

export async function dropPgDatabase(name: string): Promise<void> {
	await admin((c) => c.query(`drop database if exists "${name}" with (force)`));
}

/**
 * Migrating a PostgreSQL database takes a few hundred milliseconds, so each run migrates one
 * template (named by the migrations' content, so a changed migration gets a new one) and every
 * test file clones it. Workers race to make it; an advisory lock lets one do it.
 */
let template: Promise<string> | null = null;
function migratedTemplate(): Promise<string> {
	template ??= (async () => {
		const hash = createHash('sha256');
		for (const f of readdirSync('migrations').sort())
			hash.update(f).update(readFileSync(join('migrations', f)));
		const name = `yoriai_pg_tmpl_${hash.digest('hex').slice(0, 12)}`;
		await admin(async (c) => {
			await c.query('select pg_advisory_lock(7355608)');
			try {
				const { rows } = await c.query('select datistemplate from pg_database where datname = $1', [
					name
				]);
				if (rows[0]?.datistemplate) return;
				await c.query(`drop database if exists "${name}" with (force)`);
				await c.query(
					`create database "${name}" template template0 encoding 'UTF8' lc_ctype 'C.UTF-8' lc_collate 'C.UTF-8'`
				);
				const h = pgDb(pgUrlFor(name), { poolSize: 1, statementTimeoutMs: 0, connectRetryMs: 0 });
				await migrateToLatest(h.db);
				await h.db.destroy();
				await c.query(`alter database "${name}" with is_template true`);
			} finally {
				await c.query('select pg_advisory_unlock(7355608)');
			}
		});
		return name;
	})();
	return template;
}

async function tempPgDb(): Promise<TempDb> {
	const name = `yoriai_pg_t_${process.pid}_${randomBytes(4).toString('hex')}`;
	const url = await createPgDatabase(name, await migratedTemplate());
	const handle = pgDb(url, { poolSize: 10, statementTimeoutMs: 30_000, connectRetryMs: 0 });
	return {
		dialect: 'postgres',
		db: handle.db,
		handle,
		path: url,
		get sqlite(): SQLite.Database {
			throw new Error('this test looks at SQLite itself; it runs in the sqlite project only');
		},
		cleanup: async () => {
			await handle.db.destroy();
			await dropPgDatabase(name);
		}
	};
}
