import type { Db } from '../db/connect';

/**
 * Who curates a draft import. Any curator may add one (drafts.ts, addCurator); removing one is
 * for the draft's owner (who brought the file in) and administrators, and a draft always keeps
 * at least one curator, or nobody but administrators could reach it. A removed curator loses
 * access on their next request: every load and action asks `mayCurate` again.
 */

interface Acting {
	id: number;
	is_admin: number;
}

export type RemoveCuratorResult =
	{ ok: true } | { ok: false; reason: 'forbidden' | 'last' | 'not_curator' | 'not_found' };

/** Whether `user` may remove curators of the draft: its owner, or an administrator. */
export async function mayManageCurators(db: Db, id: string, user: Acting): Promise<boolean> {
	const row = await db
		.selectFrom('report_imports')
		.select('created_by')
		.where('id', '=', id)
		.executeTakeFirst();
	return row !== undefined && (user.is_admin === 1 || row.created_by === user.id);
}

export async function removeCurator(
	db: Db,
	id: string,
	by: Acting,
	userId: number
): Promise<RemoveCuratorResult> {
	return db.transaction().execute(async (trx) => {
		// Transactions run one at a time (SQLite's writer lock; on PostgreSQL the advisory lock of
		// postgres.ts, across processes too): the count below still holds when the row goes.
		const draft = await trx
			.selectFrom('report_imports')
			.select('created_by')
			.where('id', '=', id)
			.executeTakeFirst();
		if (!draft) return { ok: false, reason: 'not_found' } as const;
		if (by.is_admin !== 1 && draft.created_by !== by.id)
			return { ok: false, reason: 'forbidden' } as const;
		const curators = await trx
			.selectFrom('report_import_curators')
			.select('user_id')
			.where('import_id', '=', id)
			.execute();
		if (!curators.some((c) => Number(c.user_id) === userId))
			return { ok: false, reason: 'not_curator' } as const;
		if (curators.length === 1) return { ok: false, reason: 'last' } as const;
		await trx
			.deleteFrom('report_import_curators')
			.where('import_id', '=', id)
			.where('user_id', '=', userId)
			.execute();
		return { ok: true } as const;
	});
}
