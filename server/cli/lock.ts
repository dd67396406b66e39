import type { Config } from '../../src/lib/server/config';
import { openDatabase, type DbHandle } from '../../src/lib/server/db/open';
import { DatabaseSetupError } from '../../src/lib/server/db/postgres';
import {
	DatabaseInUseError,
	lockDatabase,
	type ProcessLock
} from '../../src/lib/server/db/process-lock';

/**
 * The database's process lock for a command-line tool, or exit 1 with the reason when a server
 * (or another tool) holds it. `db:repair-board` does not take it: it only rewrites boards the
 * running server refuses to load, and is meant to be used while the server runs.
 */
export function lockOrExit(databasePath: string, what: string): ProcessLock {
	try {
		return lockDatabase(databasePath, what);
	} catch (e) {
		if (!(e instanceof DatabaseInUseError)) throw e;
		console.error(`${what}: ${e.message}`);
		process.exit(1);
	}
}

/**
 * The configured database for a tool: SQLite under its process lock (lockOrExit), or PostgreSQL,
 * where Kysely's migrator takes its own lock and a running server does not mind a seed. Exits 1
 * with the reason when the database cannot be used.
 */
export async function openForTool(
	config: Config,
	what: string
): Promise<{ handle: DbHandle; release: () => void }> {
	const lock = config.databaseUrl ? null : lockOrExit(config.databasePath, what);
	try {
		return { handle: await openDatabase(config), release: () => lock?.release() };
	} catch (e) {
		lock?.release();
		if (!(e instanceof DatabaseSetupError)) throw e;
		console.error(`${what}: ${e.message}`);
		process.exit(1);
	}
}
