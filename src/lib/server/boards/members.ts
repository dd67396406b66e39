import type { BoardRole } from '../../domain/board/roles';
import type { Db } from '../db/connect';

/** The user's role on a board, or null when they are not a member (or the board does not exist). */
export async function getRole(db: Db, boardId: string, userId: number): Promise<BoardRole | null> {
	const row = await db
		.selectFrom('board_members')
		.select('role')
		.where('board_id', '=', boardId)
		.where('user_id', '=', userId)
		.executeTakeFirst();
	return row?.role ?? null;
}
