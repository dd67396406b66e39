import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { StoredRow } from './store';

/**
 * A board's stored rows through Kysely, on either database: its snapshot (if any) and the log
 * rows after it, in order — unchecked; callers verify them (store.ts) or plan a repair.
 */
export async function readStoredRows(
	db: Kysely<Database>,
	boardId: string
): Promise<{ snapshot: StoredRow | null; log: StoredRow[] }> {
	const snapshot =
		(await db
			.selectFrom('collab_snapshots')
			.select(['seq', 'data', 'crc'])
			.where('board_id', '=', boardId)
			.executeTakeFirst()) ?? null;
	const log = await db
		.selectFrom('collab_updates')
		.select(['seq', 'data', 'crc'])
		.where('board_id', '=', boardId)
		.where('seq', '>', snapshot?.seq ?? 0)
		.orderBy('seq')
		.execute();
	return { snapshot, log };
}
