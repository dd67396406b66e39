import type { Kysely } from 'kysely';

/**
 * An invite's `note` is the facilitator's own reminder ("for the Osaka table"); the welcome
 * message is the separate, optional text the invited person reads on the landing page.
 */
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.alterTable('board_invites')
		.addColumn('welcome', 'text', (c) => c.notNull().defaultTo(''))
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('board_invites').dropColumn('welcome').execute();
}
