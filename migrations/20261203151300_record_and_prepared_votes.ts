import type { Kysely } from 'kysely';

/**
 * `users.name_in_record`: whether the person agreed to be named in a workshop's record (the
 * minutes, the JSON and the print page list participants by sector; with this set, by name
 * too). Off for everyone until they turn it on themselves on the account page.
 *
 * `vote_drafts`: votes a facilitator prepared before the session, opened later in one click from
 * the cockpit. `fields` is the "open a vote" form as submitted (JSON), checked again on opening,
 * so a draft never bypasses the form's rules.
 */
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.alterTable('users')
		.addColumn('name_in_record', 'integer', (c) => c.notNull().defaultTo(0))
		.execute();
	await db.schema
		.createTable('vote_drafts')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('board_id', 'text', (c) => c.notNull().references('boards.id').onDelete('cascade'))
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('fields', 'text', (c) => c.notNull())
		.addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('created_at', 'integer', (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('vote_drafts_board')
		.on('vote_drafts')
		.columns(['board_id', 'id'])
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('vote_drafts').execute();
	await db.schema.alterTable('users').dropColumn('name_in_record').execute();
}
