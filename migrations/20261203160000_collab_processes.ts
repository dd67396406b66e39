import type { Kysely } from 'kysely';

/**
 * The realtime processes serving one PostgreSQL database (issue 15), one row per board-log
 * connection, keyed by its backend pid — the pid pg_locks shows holding a board's advisory lock.
 * Each process beats every few seconds through that very connection; a row whose beat is old
 * names a hung process, whose backend another process terminates so that it can commit (and so
 * acknowledge) nothing more. `address` is where the others relay sockets to it.
 * Unused on SQLite (one process).
 */
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('collab_processes')
		.addColumn('backend_pid', 'integer', (c) => c.primaryKey())
		.addColumn('process_id', 'text', (c) => c.notNull())
		.addColumn('address', 'text')
		.addColumn('beat_at', 'integer', (c) => c.notNull())
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('collab_processes').execute();
}
