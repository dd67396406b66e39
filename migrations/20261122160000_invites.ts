import { sql, type Kysely } from 'kysely';

/** Invite links per board, and who joined through which. */
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('board_invites')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('board_id', 'text', (c) => c.notNull().references('boards.id').onDelete('cascade'))
		// SHA-256 of the token (INV-01): the link itself exists only in the facilitator's hands.
		.addColumn('token_hash', 'text', (c) => c.notNull().unique())
		.addColumn('role', 'text', (c) => c.notNull())
		.addColumn('expires_at', 'integer', (c) => c.notNull())
		.addColumn('max_uses', 'integer', (c) => c.notNull())
		.addColumn('uses', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
		.addColumn('created_at', 'integer', (c) => c.notNull())
		.addColumn('revoked_at', 'integer')
		.addCheckConstraint('board_invites_role', sql`role in ('participant', 'observer')`)
		.addCheckConstraint('board_invites_uses', sql`uses >= 0 and uses <= max_uses`)
		.execute();
	await db.schema
		.createIndex('board_invites_board')
		.on('board_invites')
		.column('board_id')
		.execute();

	await db.schema
		.createTable('invite_redemptions')
		.addColumn('invite_id', 'integer', (c) =>
			c.notNull().references('board_invites.id').onDelete('cascade')
		)
		.addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('at', 'integer', (c) => c.notNull())
		.addPrimaryKeyConstraint('invite_redemptions_pk', ['invite_id', 'user_id'])
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('invite_redemptions').execute();
	await db.schema.dropTable('board_invites').execute();
}
