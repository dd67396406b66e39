import type { Kysely } from 'kysely';

/**
 * A facilitator can archive a whole board: it stays readable (and exportable) but nobody may
 * change it until a facilitator restores it. Null while the board is in use.
 */
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('boards').addColumn('archived_at', 'integer').execute();
	await db.schema
		.alterTable('boards')
		.addColumn('archived_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('boards').dropColumn('archived_by').execute();
	await db.schema.alterTable('boards').dropColumn('archived_at').execute();
}
