import type { Kysely } from 'kysely';

/**
 * Running an instance (issue 16): disabled and deleted accounts, who may register and create
 * boards, one-time password-reset links, the instance-wide audit log of administrative actions,
 * and the results of backups.
 */
export async function up(db: Kysely<any>): Promise<void> {
	// Set while an administrator has disabled the account: no sign-in, no session.
	await db.schema.alterTable('users').addColumn('disabled_at', 'integer').execute();
	// Set once the person deleted their account; the row stays so what they wrote keeps an author.
	await db.schema.alterTable('users').addColumn('deleted_at', 'integer').execute();

	// One row per setting (registration, board creation), read on every request that needs it.
	await db.schema
		.createTable('instance_settings')
		.addColumn('key', 'text', (c) => c.primaryKey())
		.addColumn('value', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'integer', (c) => c.notNull())
		.addColumn('updated_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.execute();

	// Who may create boards when the policy is "a list of users".
	await db.schema
		.createTable('board_creators')
		.addColumn('user_id', 'integer', (c) =>
			c.primaryKey().references('users.id').onDelete('cascade')
		)
		.addColumn('added_at', 'integer', (c) => c.notNull())
		.execute();

	// Only the SHA-256 of a reset token is kept: a copy of the database holds no usable link.
	await db.schema
		.createTable('password_resets')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('token_hash', 'text', (c) => c.notNull().unique())
		.addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('created_at', 'integer', (c) => c.notNull())
		.addColumn('expires_at', 'integer', (c) => c.notNull())
		.addColumn('used_at', 'integer')
		.execute();
	await db.schema
		.createIndex('password_resets_user')
		.on('password_resets')
		.column('user_id')
		.execute();

	// The actor's name is copied so the log reads the same after an account is deleted.
	await db.schema
		.createTable('admin_audit')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('at', 'integer', (c) => c.notNull())
		.addColumn('actor_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('actor_name', 'text', (c) => c.notNull())
		.addColumn('kind', 'text', (c) => c.notNull())
		.addColumn('subject', 'text', (c) => c.notNull())
		.addColumn('detail', 'text', (c) => c.notNull())
		.execute();

	await db.schema
		.createTable('backup_runs')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('started_at', 'integer', (c) => c.notNull())
		.addColumn('finished_at', 'integer', (c) => c.notNull())
		.addColumn('ok', 'integer', (c) => c.notNull())
		.addColumn('file', 'text', (c) => c.notNull())
		.addColumn('bytes', 'integer', (c) => c.notNull())
		.addColumn('message', 'text', (c) => c.notNull())
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('backup_runs').execute();
	await db.schema.dropTable('admin_audit').execute();
	await db.schema.dropTable('password_resets').execute();
	await db.schema.dropTable('board_creators').execute();
	await db.schema.dropTable('instance_settings').execute();
	await db.schema.alterTable('users').dropColumn('deleted_at').execute();
	await db.schema.alterTable('users').dropColumn('disabled_at').execute();
}
