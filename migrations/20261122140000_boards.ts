import { sql, type Kysely } from 'kysely';

/** Boards and their members. The board's shared content lives in its Yjs document. */
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('boards')
		// Random, not sequential: board ids appear in URLs and must not be enumerable.
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('purpose', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('workshop_date', 'text')
		// How the board was seeded: a JSON description of the template and the item ids.
		.addColumn('template', 'text', (c) => c.notNull())
		.addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
		.addColumn('created_at', 'integer', (c) => c.notNull())
		.execute();

	await db.schema
		.createTable('board_members')
		.addColumn('board_id', 'text', (c) => c.notNull().references('boards.id').onDelete('cascade'))
		.addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('role', 'text', (c) => c.notNull())
		.addColumn('added_by', 'integer', (c) => c.references('users.id'))
		.addColumn('added_at', 'integer', (c) => c.notNull())
		.addPrimaryKeyConstraint('board_members_pk', ['board_id', 'user_id'])
		.addCheckConstraint(
			'board_members_role',
			sql`role in ('facilitator', 'participant', 'observer')`
		)
		.execute();
	await db.schema.createIndex('board_members_user').on('board_members').column('user_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('board_members').execute();
	await db.schema.dropTable('boards').execute();
}
