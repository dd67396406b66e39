import type { Transaction } from 'kysely';
import type { BoardRole } from '../../domain/board/roles';
import type { Actor } from '../../domain/decisions/types';
import { VOTE_LIMITS, voteSettingsSchema, type VoteSettings } from '../../domain/votes/methods';
import { recordAudit } from '../boards/audit-log';
import type { Db } from '../db/connect';
import type { Database, VoteSessionRow } from '../db/schema';

export interface VoteSession {
	id: number;
	boardId: string;
	title: string;
	settings: VoteSettings;
	/** The cards on the ballot, in ballot order, frozen when the session opened. */
	cards: string[];
	anonymous: boolean;
	minGroup: number;
	deadline: number | null;
	/** Facilitators are among the eligible voters (participants always, observers never). */
	facilitatorsVote: boolean;
	/** Each voter's ballot lists the cards in an order of its own (ballotOrder). */
	shuffle: boolean;
	status: 'open' | 'closed';
	openedAt: number;
	closedAt: number | null;
	revealedAt: number | null;
}

export function toSession(r: VoteSessionRow): VoteSession {
	return {
		id: r.id,
		boardId: r.board_id,
		title: r.title,
		settings: voteSettingsSchema.parse(JSON.parse(r.settings)),
		cards: (JSON.parse(r.cards) as unknown[]).filter((c): c is string => typeof c === 'string'),
		anonymous: r.anonymous === 1,
		minGroup: r.min_group,
		deadline: r.deadline,
		facilitatorsVote: r.facilitators_vote === 1,
		shuffle: r.shuffle === 1,
		status: r.status,
		openedAt: r.opened_at,
		closedAt: r.closed_at,
		revealedAt: r.revealed_at
	};
}

/** Ballots are accepted while the session is open and its deadline (if any) has not passed. */
export function acceptsBallots(s: Pick<VoteSession, 'status' | 'deadline'>, now: number): boolean {
	return s.status === 'open' && (s.deadline === null || now < s.deadline);
}

/** A session past its deadline counts as closed even before anyone closes it. */
export function isClosed(s: Pick<VoteSession, 'status' | 'deadline'>, now: number): boolean {
	return !acceptsBallots(s, now);
}

/** The session if it belongs to this board (AC-02: an id from another board is not found). */
export async function getSession(
	db: Db | Transaction<Database>,
	boardId: string,
	sessionId: number
): Promise<VoteSession | null> {
	const row = await db
		.selectFrom('vote_sessions')
		.selectAll()
		.where('id', '=', sessionId)
		.where('board_id', '=', boardId)
		.executeTakeFirst();
	return row ? toSession(row) : null;
}

export interface SessionSummary extends VoteSession {
	voted: number;
}

export async function listSessions(db: Db, boardId: string): Promise<SessionSummary[]> {
	const rows = await db
		.selectFrom('vote_sessions as s')
		.selectAll('s')
		.select((eb) =>
			eb
				.selectFrom('ballots')
				.select((e) => e.fn.countAll<number>().as('n'))
				.whereRef('ballots.session_id', '=', 's.id')
				.as('voted')
		)
		.where('s.board_id', '=', boardId)
		.orderBy('s.id', 'desc')
		.execute();
	return rows.map((r) => ({ ...toSession(r), voted: Number(r.voted ?? 0) }));
}

/** The board roles that vote in a session: participants, and facilitators if it says so. */
export function votingRoles(s: Pick<VoteSession, 'facilitatorsVote'>): BoardRole[] {
	return s.facilitatorsVote ? ['facilitator', 'participant'] : ['participant'];
}

/** Members who may vote in this session now. */
export async function countEligible(
	db: Db | Transaction<Database>,
	s: Pick<VoteSession, 'boardId' | 'facilitatorsVote'>
) {
	const { n } = await db
		.selectFrom('board_members')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('board_id', '=', s.boardId)
		.where('role', 'in', votingRoles(s))
		.executeTakeFirstOrThrow();
	return Number(n);
}

export async function countBallots(
	db: Db | Transaction<Database>,
	sessionId: number
): Promise<number> {
	const { n } = await db
		.selectFrom('ballots')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('session_id', '=', sessionId)
		.executeTakeFirstOrThrow();
	return Number(n);
}

export interface NewSession {
	title: string;
	settings: VoteSettings;
	cards: readonly string[];
	anonymous: boolean;
	minGroup: number;
	deadline: number | null;
	/** Default no: a facilitator running the room is not one of its voters unless chosen. */
	facilitatorsVote?: boolean;
	/** Default no here; the facilitator's form offers it switched on. */
	shuffle?: boolean;
}

export type OpenResult = { ok: true; id: number } | { ok: false; error: 'no_cards' | 'too_many' };

/** Opens a session and records it in the audit log, in one transaction. */
export async function openSession(
	db: Db,
	boardId: string,
	s: NewSession,
	by: Actor,
	now: number
): Promise<OpenResult> {
	if (s.cards.length === 0) return { ok: false, error: 'no_cards' };
	if (s.cards.length > VOTE_LIMITS.cards) return { ok: false, error: 'too_many' };
	return db.transaction().execute(async (trx) => {
		const { n } = await trx
			.selectFrom('vote_sessions')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.where('board_id', '=', boardId)
			.executeTakeFirstOrThrow();
		if (Number(n) >= VOTE_LIMITS.sessionsPerBoard) return { ok: false, error: 'too_many' } as const;
		const { id } = await trx
			.insertInto('vote_sessions')
			.values({
				board_id: boardId,
				title: s.title,
				method: s.settings.method,
				settings: JSON.stringify(s.settings),
				cards: JSON.stringify(s.cards),
				anonymous: s.anonymous ? 1 : 0,
				min_group: s.minGroup,
				deadline: s.deadline,
				facilitators_vote: s.facilitatorsVote ? 1 : 0,
				shuffle: s.shuffle ? 1 : 0,
				status: 'open',
				opened_by: by.id,
				opened_at: now
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		await recordAudit(trx, {
			boardId,
			actor: by,
			kind: 'vote_opened',
			subject: `vote:${id}`,
			detail: { title: s.title, method: s.settings.method, cards: s.cards.length },
			at: now
		});
		return { ok: true, id } as const;
	});
}

export type StateChange =
	{ ok: true } | { ok: false; error: 'not_found' | 'already' | 'not_closed' };

/** Closes a session: no further ballots or changes. */
export async function closeSession(
	db: Db,
	boardId: string,
	sessionId: number,
	by: Actor,
	now: number
): Promise<StateChange> {
	return db.transaction().execute(async (trx) => {
		const s = await getSession(trx, boardId, sessionId);
		if (!s) return { ok: false, error: 'not_found' } as const;
		if (s.status === 'closed') return { ok: false, error: 'already' } as const;
		if (await closeAtDeadline(trx, s, now)) return { ok: false, error: 'already' } as const;
		await markClosed(trx, s, now, by);
		return { ok: true } as const;
	});
}

/**
 * A session whose deadline has passed closed then, whether or not anyone was there: the first
 * action on it afterwards stores that (closed at the deadline) and records it in the audit log
 * with no person as the actor. True if it did.
 */
async function closeAtDeadline(
	trx: Transaction<Database>,
	s: VoteSession,
	now: number
): Promise<boolean> {
	if (s.status !== 'open' || s.deadline === null || now < s.deadline) return false;
	await markClosed(trx, s, s.deadline, null);
	return true;
}

/** Stores a session as closed at `at` and records that in the audit log (`by` null: the deadline). */
async function markClosed(
	trx: Transaction<Database>,
	s: VoteSession,
	at: number,
	by: Actor | null
): Promise<void> {
	await trx
		.updateTable('vote_sessions')
		.set({ status: 'closed', closed_at: at })
		.where('id', '=', s.id)
		.execute();
	const ballots = await countBallots(trx, s.id);
	await recordAudit(trx, {
		boardId: s.boardId,
		actor: by,
		kind: 'vote_closed',
		subject: `vote:${s.id}`,
		detail: by ? { title: s.title, ballots } : { title: s.title, ballots, deadline: true },
		at
	});
}

/**
 * Reveals a closed session's results to everyone on the board. A session past its deadline is
 * closed on the way, so results are only ever shown once no ballot can change.
 */
export async function revealSession(
	db: Db,
	boardId: string,
	sessionId: number,
	by: Actor,
	now: number
): Promise<StateChange> {
	return db.transaction().execute(async (trx) => {
		const s = await getSession(trx, boardId, sessionId);
		if (!s) return { ok: false, error: 'not_found' } as const;
		if (s.revealedAt !== null) return { ok: false, error: 'already' } as const;
		if (!isClosed(s, now)) return { ok: false, error: 'not_closed' } as const;
		await closeAtDeadline(trx, s, now);
		await trx
			.updateTable('vote_sessions')
			.set({ revealed_at: now })
			.where('id', '=', sessionId)
			.execute();
		await recordAudit(trx, {
			boardId,
			actor: by,
			kind: 'vote_revealed',
			subject: `vote:${sessionId}`,
			detail: { title: s.title },
			at: now
		});
		return { ok: true } as const;
	});
}
