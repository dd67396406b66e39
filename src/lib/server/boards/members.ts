import { normalizeUsername } from '../../domain/accounts/username';
import { roleAllows, type BoardRole } from '../../domain/board/roles';
import type { Transaction } from 'kysely';
import type { Db } from '../db/connect';
import type { Database } from '../db/schema';

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

export interface MemberView {
	userId: number;
	username: string;
	displayName: string;
	sector: string;
	organisation: string;
	role: BoardRole;
	addedAt: number;
}

export async function listMembers(db: Db, boardId: string): Promise<MemberView[]> {
	const rows = await db
		.selectFrom('board_members')
		.innerJoin('users', 'users.id', 'board_members.user_id')
		.select([
			'users.id as userId',
			'users.username',
			'users.display_name as displayName',
			'users.sector',
			'users.organisation',
			'board_members.role',
			'board_members.added_at as addedAt'
		])
		.where('board_members.board_id', '=', boardId)
		.orderBy('board_members.added_at')
		.execute();
	return rows;
}

export type MemberChange =
	| {
			ok: true;
			userId: number;
			role: BoardRole | null;
			/** Open vote sessions whose ballot by this person was withdrawn (see changeMember). */
			withdrawnFrom?: number[];
	  }
	| { ok: false; error: 'user_not_found' | 'already_member' | 'last_facilitator' | 'not_member' };

/** Adds an existing account by username. */
export async function addMember(
	db: Db,
	boardId: string,
	input: { username: string; role: BoardRole; by: number; now: number }
): Promise<MemberChange> {
	const name = normalizeUsername(input.username);
	if (!name.ok) return { ok: false, error: 'user_not_found' };
	const user = await db
		.selectFrom('users')
		.select('id')
		.where('username_key', '=', name.key)
		.executeTakeFirst();
	if (!user) return { ok: false, error: 'user_not_found' };
	const inserted = await db
		.insertInto('board_members')
		.values({
			board_id: boardId,
			user_id: user.id,
			role: input.role,
			added_by: input.by,
			added_at: input.now
		})
		.onConflict((oc) => oc.doNothing())
		.executeTakeFirst();
	if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0)
		return { ok: false, error: 'already_member' };
	return { ok: true, userId: user.id, role: input.role };
}

/**
 * Changes a member's role, or removes them (role null). A board always keeps at least one
 * facilitator (AC-06): the check and the write share one transaction. Someone who may no longer
 * vote (removed, made an observer, or made a facilitator where facilitators do not vote) has
 * their ballots in the board's open sessions withdrawn
 * in the same transaction — otherwise "5 of 4 have voted", and a person taken off the board
 * still weighs on its result. Closed sessions keep every ballot: published results do not move.
 */
export async function changeMember(
	db: Db,
	boardId: string,
	userId: number,
	role: BoardRole | null,
	now: number
): Promise<MemberChange> {
	return db.transaction().execute(async (trx) => {
		const current = await trx
			.selectFrom('board_members')
			.select('role')
			.where('board_id', '=', boardId)
			.where('user_id', '=', userId)
			.executeTakeFirst();
		if (!current) return { ok: false, error: 'not_member' } as const;
		if (current.role === 'facilitator' && role !== 'facilitator') {
			const { n } = await trx
				.selectFrom('board_members')
				.select((eb) => eb.fn.countAll<number>().as('n'))
				.where('board_id', '=', boardId)
				.where('role', '=', 'facilitator')
				.executeTakeFirstOrThrow();
			if (Number(n) <= 1) return { ok: false, error: 'last_facilitator' } as const;
		}
		if (role === null) {
			await trx
				.deleteFrom('board_members')
				.where('board_id', '=', boardId)
				.where('user_id', '=', userId)
				.execute();
		} else {
			await trx
				.updateTable('board_members')
				.set({ role })
				.where('board_id', '=', boardId)
				.where('user_id', '=', userId)
				.execute();
		}
		// Made a facilitator: withdrawn only from open sessions where facilitators do not vote.
		const withdrawnFrom =
			role === null || !roleAllows(role, 'vote')
				? await withdrawOpenBallots(trx, boardId, userId, now, false)
				: role === 'facilitator'
					? await withdrawOpenBallots(trx, boardId, userId, now, true)
					: [];
		return { ok: true, userId, role, withdrawnFrom } as const;
	});
}

/** Also used when a person deletes their account (src/lib/server/account/delete.ts). */
export async function withdrawOpenBallots(
	trx: Transaction<Database>,
	boardId: string,
	userId: number,
	now: number,
	onlyWithoutFacilitators: boolean
): Promise<number[]> {
	let query = trx
		.selectFrom('ballots')
		.innerJoin('vote_sessions', 'vote_sessions.id', 'ballots.session_id')
		.select(['ballots.id', 'ballots.session_id'])
		.where('vote_sessions.board_id', '=', boardId)
		.where('vote_sessions.status', '=', 'open');
	if (onlyWithoutFacilitators) query = query.where('vote_sessions.facilitators_vote', '=', 0);
	const ballots = await query
		.where((eb) =>
			eb.or([eb('vote_sessions.deadline', 'is', null), eb('vote_sessions.deadline', '>', now)])
		)
		.where('ballots.user_id', '=', userId)
		.execute();
	if (ballots.length === 0) return [];
	// Their entries go with them (ON DELETE CASCADE).
	await trx
		.deleteFrom('ballots')
		.where(
			'id',
			'in',
			ballots.map((b) => b.id)
		)
		.execute();
	return ballots.map((b) => b.session_id);
}
