import { sql, type Kysely } from 'kysely';

/**
 * Vote sessions and ballots. Ballots live only here — never in a board's shared Yjs document,
 * which every client holds in full.
 */
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('vote_sessions')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('board_id', 'text', (c) => c.notNull().references('boards.id').onDelete('cascade'))
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('method', 'text', (c) => c.notNull())
		// The method's parameters (budget, cap, top-N, points) as validated JSON.
		.addColumn('settings', 'text', (c) => c.notNull())
		// The card ids on the ballot, frozen when the session opens (JSON array).
		.addColumn('cards', 'text', (c) => c.notNull())
		.addColumn('anonymous', 'integer', (c) => c.notNull())
		// Sector groups smaller than this are merged before results are shown.
		.addColumn('min_group', 'integer', (c) => c.notNull())
		.addColumn('deadline', 'integer')
		.addColumn('status', 'text', (c) => c.notNull())
		.addColumn('opened_by', 'integer', (c) => c.notNull().references('users.id'))
		.addColumn('opened_at', 'integer', (c) => c.notNull())
		.addColumn('closed_at', 'integer')
		.addColumn('revealed_at', 'integer')
		.addCheckConstraint(
			'vote_sessions_method',
			sql`method in ('dots', 'ranking', 'score', 'approval', 'points')`
		)
		.addCheckConstraint('vote_sessions_status', sql`status in ('open', 'closed')`)
		// Results are shown only for closed sessions, so a revealed session is always closed.
		.addCheckConstraint('vote_sessions_reveal', sql`revealed_at is null or status = 'closed'`)
		.execute();
	await db.schema
		.createIndex('vote_sessions_board')
		.on('vote_sessions')
		.columns(['board_id', 'id'])
		.execute();

	await db.schema
		.createTable('ballots')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('session_id', 'integer', (c) =>
			c.notNull().references('vote_sessions.id').onDelete('cascade')
		)
		.addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
		// The voter's declared sector when they voted: results break down by it, and a later
		// profile change must not move a cast ballot between groups.
		.addColumn('sector', 'text', (c) => c.notNull())
		.addColumn('cast_at', 'integer', (c) => c.notNull())
		.addColumn('updated_at', 'integer', (c) => c.notNull())
		// One ballot per person per session (AC-07); changes replace its entries.
		.addUniqueConstraint('ballots_one_per_voter', ['session_id', 'user_id'])
		.execute();

	await db.schema
		.createTable('ballot_entries')
		.addColumn('ballot_id', 'integer', (c) =>
			c.notNull().references('ballots.id').onDelete('cascade')
		)
		.addColumn('card_id', 'text', (c) => c.notNull())
		// dots: dots given; ranking: rank (1 = first); score: impact; approval: 1; points: points.
		.addColumn('value', 'integer', (c) => c.notNull())
		// score: feasibility; null for every other method.
		.addColumn('value2', 'integer')
		// Hash of the card's title and note when this entry was cast ("edited since you voted").
		.addColumn('wording_hash', 'text', (c) => c.notNull())
		.addPrimaryKeyConstraint('ballot_entries_pk', ['ballot_id', 'card_id'])
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('ballot_entries').execute();
	await db.schema.dropTable('ballots').execute();
	await db.schema.dropTable('vote_sessions').execute();
}
