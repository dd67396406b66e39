import type { Kysely } from 'kysely';

/** Workshop series: a follow-up board points at the board it continues. */
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.alterTable('boards')
		.addColumn('previous_board_id', 'text', (c) => c.references('boards.id').onDelete('set null'))
		.execute();
	// The first board of the series; a board that starts a series is its own.
	await db.schema.alterTable('boards').addColumn('series_id', 'text').execute();
	await db
		.updateTable('boards')
		.set((eb) => ({ series_id: eb.ref('id') }))
		.execute();
	await db.schema.createIndex('boards_series').on('boards').column('series_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropIndex('boards_series').execute();
	await db.schema.alterTable('boards').dropColumn('series_id').execute();
	await db.schema.alterTable('boards').dropColumn('previous_board_id').execute();
}
