import type { Kysely } from 'kysely';

/**
 * Throttle state shared by every process (issue 15): with several Yoriai processes on one
 * PostgreSQL database, sign-in, registration, invite and export throttles live here, so spreading
 * attempts over processes does not multiply the allowance. On SQLite (one process) the throttles
 * stay in memory and this table stays empty.
 *
 * One row per throttle and key: `value` is a bucket's tokens or a backoff's failure count, `at`
 * the bucket's last refill or the time until which a backoff refuses (milliseconds).
 */
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('throttle_state')
		.addColumn('scope', 'text', (c) => c.notNull())
		.addColumn('key', 'text', (c) => c.notNull())
		.addColumn('value', 'real', (c) => c.notNull())
		.addColumn('at', 'integer', (c) => c.notNull())
		.addPrimaryKeyConstraint('throttle_state_pk', ['scope', 'key'])
		.execute();
	// Pruning deletes rows by age.
	await db.schema.createIndex('throttle_state_at').on('throttle_state').column('at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('throttle_state').execute();
}
