import type { Kysely } from 'kysely';

/**
 * A CRC-32 of each stored Yjs blob, written with it. Loading a board then verifies bytes the
 * server itself encoded in microseconds, instead of walking every row's structure (which, on a
 * cold 500-card board, was a fifth of the first client's wait). A mismatch means the row was
 * damaged at rest: the board needs repair (REL-04). Rows from before this migration have no
 * checksum and are still checked structurally.
 */
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('collab_updates').addColumn('crc', 'integer').execute();
	await db.schema.alterTable('collab_snapshots').addColumn('crc', 'integer').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('collab_snapshots').dropColumn('crc').execute();
	await db.schema.alterTable('collab_updates').dropColumn('crc').execute();
}
