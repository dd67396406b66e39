import pg from 'pg';
import type { DbHandle } from './open';
import { PROCESS_LOCK_NAMESPACE, STARTUP_LOCK_KEY } from './locks';
import { pgClientConfig } from './postgres';

/**
 * Runs `work` (migrating, seeding the library) as the only process doing start-up work on this
 * database. N processes started together on one PostgreSQL database take turns: the first
 * migrates and seeds, the others wait, then find the schema current and every seed row
 * unchanged, so they write nothing.
 *
 * The lock is a session advisory lock on a connection of its own (not the pool's), so the work
 * may use the pool freely; if this process dies mid-way its session ends and the lock with it.
 * Waiting has no statement timeout: a long migration in another process is worth waiting for.
 *
 * On SQLite there is nothing to do: the file lock (process-lock.ts) already keeps a second
 * process out altogether.
 */
export async function underStartupLock<T>(handle: DbHandle, work: () => Promise<T>): Promise<T> {
	if (handle.dialect !== 'postgres') return work();
	const client = new pg.Client(
		pgClientConfig(handle.url, { ...handle.options, statementTimeoutMs: 0 })
	);
	// A lost connection rejects the query in flight; nothing else needs telling.
	client.on('error', () => undefined);
	await client.connect();
	try {
		await client.query('select pg_advisory_lock($1, $2)', [
			PROCESS_LOCK_NAMESPACE,
			STARTUP_LOCK_KEY
		]);
		return await work();
	} finally {
		// Ending the session releases the lock too; the explicit unlock just does it sooner.
		await client
			.query('select pg_advisory_unlock($1, $2)', [PROCESS_LOCK_NAMESPACE, STARTUP_LOCK_KEY])
			.catch(() => undefined);
		await client.end().catch(() => undefined);
	}
}
