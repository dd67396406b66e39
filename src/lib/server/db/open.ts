import type { Config } from '../config';
import { createDb, type SqliteHandle } from './connect';
import { createPgDb, redact, type PgHandle } from './postgres';

/** The app's database: SQLite (one file, the default) or PostgreSQL (DATABASE_URL). */
export type DbHandle = SqliteHandle | PgHandle;

/**
 * The one place the database is chosen: DATABASE_URL selects PostgreSQL, otherwise SQLite at
 * DATABASE_PATH (default data/yoriai.db) — so `npm start` with nothing configured is unchanged.
 */
export async function openDatabase(config: Config): Promise<DbHandle> {
	if (config.databaseUrl) return createPgDb(config.databaseUrl, config.databasePg);
	return createDb(config.databasePath);
}

/** Where the data is, for messages (never with a password). */
export function describeDatabase(config: Config): string {
	return config.databaseUrl ? redact(config.databaseUrl) : config.databasePath;
}
