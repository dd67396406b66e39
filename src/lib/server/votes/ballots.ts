import type { Transaction } from 'kysely';
import { roleAllows } from '../../domain/board/roles';
import {
	adjustDots,
	validateBallot,
	type BallotEntry,
	type BallotError
} from '../../domain/votes/ballot';
import type { CastEntry } from '../../domain/votes/results';
import type { Db } from '../db/connect';
import { scopedTransaction } from '../db/write-scope';
import type { Database } from '../db/schema';
import { acceptsBallots, toSession, votingRoles, type VoteSession } from './sessions';

export interface Voter {
	id: number;
	/** The voter's declared sector now; the ballot keeps it (see the ballots table). */
	sector: string;
}

export type CastError =
	| BallotError
	| 'not_found'
	| 'closed'
	| 'not_eligible'
	/** A card merged away or deleted since the session opened. */
	| 'card_gone'
	/** The board is not in its vote phase (AC-06). */
	| 'not_vote_phase'
	| 'not_voted';

export type CastResult = { ok: true; entries: CastEntry[] } | { ok: false; error: CastError };

type Change = (
	session: VoteSession,
	current: CastEntry[] | null
) => { ok: true; entries: CastEntry[] } | { ok: false; error: CastError };

/**
 * Every ballot change runs here: one write transaction that re-reads the session, the voter's
 * role and the board's phase, applies the change to the stored ballot and validates the result
 * before writing it. A check and its write can therefore never interleave with another request
 * that could change them (AC-07): 50 parallel "one more dot" posts against a budget of 3 store
 * exactly 3 dots. On SQLite, BEGIN IMMEDIATE (and Kysely's single connection) runs it alone; on
 * PostgreSQL it is ballot-scoped (db/locks.ts says why that is enough): ballots of different
 * voters run at once, those of one voter and everything else that touches the vote queue.
 *
 * `wordings` holds the current wording hash of each card that can take a vote now; it is read
 * from the board document before the transaction (readBoardCards).
 */
async function changeBallot(
	db: Db,
	boardId: string,
	sessionId: number,
	voter: Voter,
	now: number,
	change: Change
): Promise<CastResult> {
	return scopedTransaction(db, { kind: 'ballot', sessionId, userId: voter.id }, async (trx) => {
		// Everything the checks below read, in one statement: on PostgreSQL each statement is a
		// round trip, and four separate reads made up half of a ballot's (votes benchmark).
		const row = await trx
			.selectFrom('vote_sessions as s')
			.selectAll('s')
			.select((eb) => [
				eb
					.selectFrom('board_members as m')
					.select('m.role')
					.where('m.board_id', '=', boardId)
					.where('m.user_id', '=', voter.id)
					.as('member_role'),
				eb
					.selectFrom('board_facilitation as f')
					.select('f.phase')
					.where('f.board_id', '=', boardId)
					.as('board_phase'),
				eb
					.selectFrom('ballots as b')
					.select('b.id')
					.where('b.session_id', '=', sessionId)
					.where('b.user_id', '=', voter.id)
					.as('ballot_id')
			])
			.where('s.id', '=', sessionId)
			.where('s.board_id', '=', boardId)
			.executeTakeFirst();
		if (!row) return { ok: false, error: 'not_found' } as const;
		const session = toSession(row);
		const role = row.member_role ?? null;
		// Observers never vote (AC-06), and a removed member's old page cannot either.
		if (!roleAllows(role, 'vote')) return { ok: false, error: 'not_eligible' } as const;
		// Facilitators vote only in sessions opened to say so.
		if (!votingRoles(session).includes(role!)) return { ok: false, error: 'not_eligible' } as const;
		if (!acceptsBallots(session, now)) return { ok: false, error: 'closed' } as const;
		if (row.board_phase !== 'vote') return { ok: false, error: 'not_vote_phase' } as const;
		const existing = row.ballot_id == null ? undefined : { id: row.ballot_id };
		const current = existing ? await readEntries(trx, existing.id) : null;
		const next = change(session, current);
		if (!next.ok) return next;
		const error = validateBallot(session.settings, new Set(session.cards), next.entries);
		if (error) return { ok: false, error } as const;
		await writeBallot(trx, sessionId, voter, existing?.id ?? null, next.entries, now);
		return next;
	});
}

async function readEntries(db: Db | Transaction<Database>, ballotId: number): Promise<CastEntry[]> {
	const rows = await db
		.selectFrom('ballot_entries')
		.select(['card_id', 'value', 'value2', 'wording_hash'])
		.where('ballot_id', '=', ballotId)
		.execute();
	return rows.map((r) => ({
		cardId: r.card_id,
		value: r.value,
		value2: r.value2,
		wordingHash: r.wording_hash
	}));
}

async function writeBallot(
	trx: Transaction<Database>,
	sessionId: number,
	voter: Voter,
	ballotId: number | null,
	entries: readonly CastEntry[],
	now: number
): Promise<void> {
	let id = ballotId;
	if (id === null) {
		const row = await trx
			.insertInto('ballots')
			.values({
				session_id: sessionId,
				user_id: voter.id,
				sector: voter.sector,
				cast_at: now,
				updated_at: now
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		id = row.id;
	} else {
		await trx.updateTable('ballots').set({ updated_at: now }).where('id', '=', id).execute();
		await trx.deleteFrom('ballot_entries').where('ballot_id', '=', id).execute();
	}
	if (entries.length === 0) return;
	await trx
		.insertInto('ballot_entries')
		.values(
			entries.map((e) => ({
				ballot_id: id,
				card_id: e.cardId,
				value: e.value,
				value2: e.value2,
				wording_hash: e.wordingHash
			}))
		)
		.execute();
}

/** Stamps entries with the wording they are cast on; refuses cards that can no longer take votes. */
function stamp(
	entries: readonly BallotEntry[],
	wordings: ReadonlyMap<string, string>
): { ok: true; entries: CastEntry[] } | { ok: false; error: CastError } {
	const out: CastEntry[] = [];
	for (const e of entries) {
		const hash = wordings.get(e.cardId);
		if (hash === undefined) return { ok: false, error: 'card_gone' };
		out.push({ ...e, wordingHash: hash });
	}
	return { ok: true, entries: out };
}

/**
 * Casts or replaces a whole ballot (no entries = an abstention). The voter saw every card as it
 * reads now, so every entry is stamped with the current wording.
 */
export function castBallot(
	db: Db,
	boardId: string,
	sessionId: number,
	voter: Voter,
	entries: readonly BallotEntry[],
	wordings: ReadonlyMap<string, string>,
	now: number
): Promise<CastResult> {
	return changeBallot(db, boardId, sessionId, voter, now, (session) => {
		if (entries.some((e) => !session.cards.includes(e.cardId)))
			return { ok: false, error: 'unknown_card' };
		return stamp(entries, wordings);
	});
}

/** One dot more or less on one card (dot voting); only that card's wording is re-stamped. */
export function adjustBallot(
	db: Db,
	boardId: string,
	sessionId: number,
	voter: Voter,
	cardId: string,
	delta: 1 | -1,
	wordings: ReadonlyMap<string, string>,
	now: number
): Promise<CastResult> {
	return changeBallot(db, boardId, sessionId, voter, now, (session, current) => {
		if (session.settings.method !== 'dots') return { ok: false, error: 'bad_value' };
		const entries = current ?? [];
		const r = adjustDots(session.settings, new Set(session.cards), entries, cardId, delta);
		if (!r.ok) return r;
		const hashes = new Map(entries.map((e) => [e.cardId, e.wordingHash]));
		const hash = wordings.get(cardId);
		// A dot can always be taken back, even from a card merged away since.
		if (hash !== undefined) hashes.set(cardId, hash);
		else if (delta === 1) return { ok: false, error: 'card_gone' };
		return {
			ok: true,
			entries: r.entries.map((e) => ({ ...e, wordingHash: hashes.get(e.cardId)! }))
		};
	});
}

/**
 * "Still my vote": the voter has seen the edited wording and keeps their ballot as it is; every
 * entry is re-stamped with the current wording.
 */
export function confirmBallot(
	db: Db,
	boardId: string,
	sessionId: number,
	voter: Voter,
	wordings: ReadonlyMap<string, string>,
	now: number
): Promise<CastResult> {
	return changeBallot(db, boardId, sessionId, voter, now, (_session, current) => {
		if (current === null) return { ok: false, error: 'not_voted' };
		// Entries on cards merged away since keep their old stamp: there is no new wording to confirm.
		const entries = current.map((e) => ({
			...e,
			wordingHash: wordings.get(e.cardId) ?? e.wordingHash
		}));
		return { ok: true, entries };
	});
}

/** The voter's own ballot (null if they have not voted). Only ever shown to that voter. */
export async function readOwnBallot(
	db: Db,
	sessionId: number,
	userId: number
): Promise<CastEntry[] | null> {
	const ballot = await db
		.selectFrom('ballots')
		.select('id')
		.where('session_id', '=', sessionId)
		.where('user_id', '=', userId)
		.executeTakeFirst();
	return ballot ? readEntries(db, ballot.id) : null;
}
