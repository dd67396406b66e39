import {
	cardRefsSchema,
	dissentsSchema,
	type CardRef,
	type Dissent
} from '../../domain/decisions/schemas';
import { DECISION_LIMITS } from '../../domain/decisions/forms';
import type { Actor, Decision, DecisionRevision } from '../../domain/decisions/types';
import { voteResultsSchema, type VoteResults } from '../../domain/votes/results';
import { recordAudit } from '../boards/audit-log';
import type { Db } from '../db/connect';
import type { DecisionRevisionsTable } from '../db/schema';
import type { Selectable } from 'kysely';

export interface DecisionInput {
	text: string;
	rationale: string;
	dissent: Dissent[];
	cards: CardRef[];
	vote: { sessionId: number; results: VoteResults } | null;
}

export type RecordResult =
	{ ok: true; id: number } | { ok: false; error: 'not_found' | 'too_many' };

/**
 * Records a decision, or — with `decisionId` — a new revision of one. Revisions are append-only
 * (a trigger refuses updates), so the history of what was decided is never rewritten. The
 * revision and its audit entry commit together.
 */
export async function recordDecision(
	db: Db,
	boardId: string,
	decisionId: number | null,
	input: DecisionInput,
	by: Actor,
	now: number
): Promise<RecordResult> {
	return db.transaction().execute(async (trx) => {
		let id = decisionId;
		let revision = 1;
		if (id === null) {
			const { n } = await trx
				.selectFrom('decisions')
				.select((eb) => eb.fn.countAll<number>().as('n'))
				.where('board_id', '=', boardId)
				.executeTakeFirstOrThrow();
			if (Number(n) >= DECISION_LIMITS.decisionsPerBoard)
				return { ok: false, error: 'too_many' } as const;
			const row = await trx
				.insertInto('decisions')
				.values({ board_id: boardId, created_by: by.id, created_at: now })
				.returning('id')
				.executeTakeFirstOrThrow();
			id = row.id;
		} else {
			const found = await trx
				.selectFrom('decisions')
				.select('id')
				.where('id', '=', id)
				.where('board_id', '=', boardId)
				.executeTakeFirst();
			if (!found) return { ok: false, error: 'not_found' } as const;
			const { last } = await trx
				.selectFrom('decision_revisions')
				.select((eb) => eb.fn.max('revision').as('last'))
				.where('decision_id', '=', id)
				.executeTakeFirstOrThrow();
			revision = Number(last ?? 0) + 1;
		}
		await trx
			.insertInto('decision_revisions')
			.values({
				decision_id: id,
				revision,
				text: input.text,
				rationale: input.rationale,
				dissent: JSON.stringify(input.dissent),
				cards: JSON.stringify(input.cards),
				vote_session_id: input.vote?.sessionId ?? null,
				vote_snapshot: input.vote ? JSON.stringify(input.vote.results) : null,
				recorded_by: by.id,
				recorded_by_name: by.name,
				recorded_at: now
			})
			.execute();
		await recordAudit(trx, {
			boardId,
			actor: by,
			kind: revision === 1 ? 'decision_recorded' : 'decision_revised',
			subject: `decision:${id}`,
			detail: { revision, text: input.text.slice(0, 200) },
			at: now
		});
		return { ok: true, id } as const;
	});
}

function toRevision(r: Selectable<DecisionRevisionsTable>): DecisionRevision {
	return {
		revision: r.revision,
		text: r.text,
		rationale: r.rationale,
		dissent: dissentsSchema.parse(JSON.parse(r.dissent)),
		cards: cardRefsSchema.parse(JSON.parse(r.cards)),
		vote:
			r.vote_snapshot === null
				? null
				: {
						sessionId: r.vote_session_id,
						results: voteResultsSchema.parse(JSON.parse(r.vote_snapshot))
					},
		recordedBy: r.recorded_by_name,
		recordedAt: r.recorded_at
	};
}

/** A board's decisions with every revision, oldest decision first. */
export async function listDecisions(db: Db, boardId: string): Promise<Decision[]> {
	const rows = await db
		.selectFrom('decision_revisions as r')
		.innerJoin('decisions as d', 'd.id', 'r.decision_id')
		.selectAll('r')
		.select('d.created_at as createdAt')
		.where('d.board_id', '=', boardId)
		.orderBy('d.id')
		.orderBy('r.revision', 'desc')
		.execute();
	const out = new Map<number, Decision>();
	for (const r of rows) {
		let d = out.get(r.decision_id);
		if (!d) {
			d = { id: r.decision_id, createdAt: r.createdAt, revisions: [] };
			out.set(r.decision_id, d);
		}
		d.revisions.push(toRevision(r));
	}
	return [...out.values()];
}

/** One decision of this board with its history (AC-02: another board's id is not found). */
export async function getDecision(db: Db, boardId: string, id: number): Promise<Decision | null> {
	const rows = await db
		.selectFrom('decision_revisions as r')
		.innerJoin('decisions as d', 'd.id', 'r.decision_id')
		.selectAll('r')
		.select('d.created_at as createdAt')
		.where('d.board_id', '=', boardId)
		.where('d.id', '=', id)
		.orderBy('r.revision', 'desc')
		.execute();
	const [first] = rows;
	if (!first) return null;
	return { id, createdAt: first.createdAt, revisions: rows.map(toRevision) };
}
