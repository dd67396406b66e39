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
