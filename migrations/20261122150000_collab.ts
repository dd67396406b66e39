import { sql, type Kysely } from 'kysely';

/**
 * Durable storage of each board's Yjs document (DUR-03/04): an append-only log of accepted
 * updates and at most one snapshot per board. A board's document is its snapshot followed by its
 * log rows with `seq` above the snapshot's. Compaction writes a new snapshot and deletes the rows
 * it covers in one transaction, so a crash leaves either the old rows or the new snapshot.
 */
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('collab_updates')
		.addColumn('board_id', 'text', (c) => c.notNull().references('boards.id').onDelete('cascade'))
		// Per board, increasing, never reused: load order and the compaction boundary.
		.addColumn('seq', 'integer', (c) => c.notNull())
		// A Yjs v1 update as the server's own encoder produced it (never raw client bytes).
		.addColumn('data', 'blob', (c) => c.notNull())
		.addColumn('created_at', 'integer', (c) => c.notNull())
		.addPrimaryKeyConstraint('collab_updates_pk', ['board_id', 'seq'])
		// Clustered by (board_id, seq): loading a board reads one contiguous range.
		.modifyEnd(sql`without rowid`)
		.execute();

	await db.schema
		.createTable('collab_snapshots')
		.addColumn('board_id', 'text', (c) =>
			c.primaryKey().references('boards.id').onDelete('cascade')
		)
		// The highest log seq this snapshot includes; rows up to it have been deleted.
		.addColumn('seq', 'integer', (c) => c.notNull())
		.addColumn('data', 'blob', (c) => c.notNull())
		.addColumn('updated_at', 'integer', (c) => c.notNull())
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('collab_snapshots').execute();
	await db.schema.dropTable('collab_updates').execute();
}
