import type { Kysely } from 'kysely';

/** Accounts and sessions. */
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('users')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		// NFC + case-folded form of the username; uniqueness is enforced on this column.
		.addColumn('username_key', 'text', (c) => c.notNull().unique())
		.addColumn('username', 'text', (c) => c.notNull())
		.addColumn('display_name', 'text', (c) => c.notNull())
		.addColumn('sector', 'text', (c) => c.notNull())
		.addColumn('organisation', 'text', (c) => c.notNull())
		.addColumn('password_hash', 'text', (c) => c.notNull())
		.addColumn('is_admin', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('locale', 'text')
		.addColumn('created_at', 'integer', (c) => c.notNull())
		.addColumn('password_changed_at', 'integer', (c) => c.notNull())
		.execute();

	await db.schema
		.createTable('sessions')
		// hex(SHA-256(token)): the token itself is never stored.
		.addColumn('id', 'text', (c) => c.primaryKey())
		// A random handle the owner sees in their session list, so revocation never needs the id.
		.addColumn('public_id', 'text', (c) => c.notNull().unique())
		.addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('created_at', 'integer', (c) => c.notNull())
		.addColumn('expires_at', 'integer', (c) => c.notNull())
		.addColumn('last_seen_at', 'integer', (c) => c.notNull())
		.addColumn('user_agent', 'text', (c) => c.notNull().defaultTo(''))
		.execute();
	await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();

	await db.schema
		.createTable('auth_events')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('at', 'integer', (c) => c.notNull())
		.addColumn('kind', 'text', (c) => c.notNull())
		.addColumn('user_id', 'integer')
		.addColumn('username_key', 'text')
		.addColumn('ip', 'text', (c) => c.notNull())
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('auth_events').execute();
	await db.schema.dropTable('sessions').execute();
	await db.schema.dropTable('users').execute();
}
