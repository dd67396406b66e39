import type { BoardRole } from '../../domain/board/roles';
import type { Transaction } from 'kysely';
import type { Db } from '../db/connect';
import type { BoardRow, Database } from '../db/schema';

export interface BoardListing {
	id: string;
	title: string;
	purpose: string;
	workshopDate: string | null;
	role: BoardRole;
	members: number;
	createdAt: number;
	seriesId: string;
	openActions: number;
	/** When it was archived; null while in use. */
	archivedAt: number | null;
}

/** The boards a user belongs to, newest first. */
export async function listBoardsFor(db: Db, userId: number): Promise<BoardListing[]> {
	return db
		.selectFrom('board_members as me')
		.innerJoin('boards', 'boards.id', 'me.board_id')
		.select((eb) => [
			'boards.id',
			'boards.title',
			'boards.purpose',
			'boards.workshop_date as workshopDate',
			'me.role',
			'boards.created_at as createdAt',
			'boards.series_id as seriesId',
			'boards.archived_at as archivedAt',
			eb
				.selectFrom('actions as a')
				.select((e) => e.fn.countAll<number>().as('n'))
				.whereRef('a.board_id', '=', 'boards.id')
				.where('a.status', 'in', ['open', 'in_progress'])
				.as('openActions'),
			eb
				.selectFrom('board_members as m')
				.select((e) => e.fn.countAll<number>().as('n'))
				.whereRef('m.board_id', '=', 'boards.id')
				.as('members')
		])
		.where('me.user_id', '=', userId)
		.orderBy('boards.created_at', 'desc')
		.execute()
		.then((rows) =>
			rows.map((r) => ({
				...r,
				seriesId: r.seriesId ?? r.id,
				members: Number(r.members ?? 0),
				openActions: Number(r.openActions ?? 0)
			}))
		);
}

export async function getBoard(db: Db, boardId: string): Promise<BoardRow | null> {
	return (
		(await db.selectFrom('boards').selectAll().where('id', '=', boardId).executeTakeFirst()) ?? null
	);
}

/** Whether the board is archived (read-only for everyone; see lifecycle.ts). */
export async function isArchived(
	db: Db | Transaction<Database>,
	boardId: string
): Promise<boolean> {
	const row = await db
		.selectFrom('boards')
		.select('archived_at')
		.where('id', '=', boardId)
		.executeTakeFirst();
	return row !== undefined && row.archived_at !== null;
}
