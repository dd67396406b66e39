import { sql, type Kysely } from 'kysely';
import { appendOnlyTrigger } from './dialect';

/**
 * Decisions (append-only revisions), the actions they yield, and each board's audit log.
 * Provenance is copied into revisions and actions as JSON so it survives later card edits.
 */
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('decisions')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('board_id', 'text', (c) => c.notNull().references('boards.id').onDelete('cascade'))
		.addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('created_at', 'integer', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('decisions_board').on('decisions').column('board_id').execute();

	await db.schema
		.createTable('decision_revisions')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('decision_id', 'integer', (c) =>
			c.notNull().references('decisions.id').onDelete('cascade')
		)
		.addColumn('revision', 'integer', (c) => c.notNull())
		.addColumn('text', 'text', (c) => c.notNull())
		.addColumn('rationale', 'text', (c) => c.notNull())
		// [{ sector: string | null, text: string }]
		.addColumn('dissent', 'text', (c) => c.notNull())
		// [{ id, title, sources: Provenance[] }] as the cards read when recorded.
		.addColumn('cards', 'text', (c) => c.notNull())
		.addColumn('vote_session_id', 'integer', (c) =>
			c.references('vote_sessions.id').onDelete('set null')
		)
		// The backing vote's published results, frozen when recorded (JSON), or null.
		.addColumn('vote_snapshot', 'text')
		.addColumn('recorded_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('recorded_by_name', 'text', (c) => c.notNull())
		.addColumn('recorded_at', 'integer', (c) => c.notNull())
		.addUniqueConstraint('decision_revisions_unique', ['decision_id', 'revision'])
		.execute();
	// Append-only: a change is a new revision, never an edit of an old one.
	await appendOnlyTrigger(
		db,
		'decision_revisions_append_only',
		'decision_revisions',
		'decision revisions are append-only'
	);

	await db.schema
		.createTable('actions')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('board_id', 'text', (c) => c.notNull().references('boards.id').onDelete('cascade'))
		.addColumn('decision_id', 'integer', (c) =>
			c.notNull().references('decisions.id').onDelete('cascade')
		)
		.addColumn('title', 'text', (c) => c.notNull())
		// Either a member (owner_user_id) or a named organisation (owner_name), or nobody yet.
		.addColumn('owner_user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('owner_name', 'text', (c) => c.notNull())
		.addColumn('due_date', 'text')
		.addColumn('status', 'text', (c) => c.notNull())
		.addColumn('notes', 'text', (c) => c.notNull())
		// [{ id, title }] and Provenance[] copied from the decision's cards.
		.addColumn('cards', 'text', (c) => c.notNull())
		.addColumn('sources', 'text', (c) => c.notNull())
		.addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('created_at', 'integer', (c) => c.notNull())
		.addColumn('updated_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('updated_at', 'integer', (c) => c.notNull())
		.addCheckConstraint('actions_status', sql`status in ('open', 'in_progress', 'done', 'dropped')`)
		.execute();
	await db.schema.createIndex('actions_board').on('actions').column('board_id').execute();
	await db.schema.createIndex('actions_owner').on('actions').column('owner_user_id').execute();

	await db.schema
		.createTable('board_audit')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('board_id', 'text', (c) => c.notNull().references('boards.id').onDelete('cascade'))
		.addColumn('at', 'integer', (c) => c.notNull())
		.addColumn('actor_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('actor_name', 'text', (c) => c.notNull())
		.addColumn('kind', 'text', (c) => c.notNull())
		// What the event is about, e.g. "vote:12", "decision:3", "action:7", "user:5".
		.addColumn('subject', 'text', (c) => c.notNull())
		// Event details as JSON (never a ballot or anyone's choice).
		.addColumn('detail', 'text', (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('board_audit_board')
		.on('board_audit')
		.columns(['board_id', 'id'])
		.execute();
	await appendOnlyTrigger(
		db,
		'board_audit_append_only',
		'board_audit',
		'the audit log is append-only'
	);
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('board_audit').execute();
	await db.schema.dropTable('actions').execute();
	await db.schema.dropTable('decision_revisions').execute();
	await db.schema.dropTable('decisions').execute();
}
