import type { Kysely } from 'kysely';

/**
 * Two choices the facilitator makes when opening a vote. `facilitators_vote`: whether
 * facilitators are among the eligible voters (observers never are); sessions opened before this
 * counted them, so existing rows get 1, while the form's default for new votes is no.
 * `shuffle`: whether each voter's ballot lists the cards in an order of its own (against
 * position bias); earlier sessions showed board order, so existing rows get 0.
 */
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.alterTable('vote_sessions')
		.addColumn('facilitators_vote', 'integer', (c) => c.notNull().defaultTo(1))
		.execute();
	await db.schema
		.alterTable('vote_sessions')
		.addColumn('shuffle', 'integer', (c) => c.notNull().defaultTo(0))
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('vote_sessions').dropColumn('shuffle').execute();
	await db.schema.alterTable('vote_sessions').dropColumn('facilitators_vote').execute();
}
