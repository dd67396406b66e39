import type { Kysely } from 'kysely';

/** Facilitation state per board, and private drafts written before they are revealed. */
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('board_facilitation')
		.addColumn('board_id', 'text', (c) =>
			c.primaryKey().references('boards.id').onDelete('cascade')
		)
		.addColumn('phase', 'text', (c) => c.notNull())
		.addColumn('locked', 'integer', (c) => c.notNull().defaultTo(0))
		// JSON: the timer and the spotlight (small, read and written whole).
		.addColumn('timer', 'text')
		.addColumn('spotlight', 'text')
		.addColumn('updated_at', 'integer', (c) => c.notNull())
		.execute();

	await db.schema
		.createTable('board_drafts')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('board_id', 'text', (c) => c.notNull().references('boards.id').onDelete('cascade'))
		.addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('created_at', 'integer', (c) => c.notNull())
		.addColumn('revealed_at', 'integer')
		.execute();
	await db.schema
		.createIndex('board_drafts_board')
		.on('board_drafts')
		.columns(['board_id', 'user_id'])
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('board_drafts').execute();
	await db.schema.dropTable('board_facilitation').execute();
}
