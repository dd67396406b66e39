import type { Transaction } from 'kysely';
import type { Provenance } from '../../domain/board/doc';
import { japanDate } from '../../domain/decisions/due';
import { DECISION_LIMITS, type OwnerChoice } from '../../domain/decisions/forms';
import { cardLinksSchema, cardRefsSchema, sourcesSchema } from '../../domain/decisions/schemas';
import type { ActionOwner, ActionStatus, ActionView, Actor } from '../../domain/decisions/types';
import { recordAudit } from '../boards/audit-log';
import type { Db } from '../db/connect';
import type { Database } from '../db/schema';

export interface ActionFields {
	title: string;
	owner: OwnerChoice;
	due: string | null;
}

export type ActionResult =
	| { ok: true; id: number }
	| {
			ok: false;
			error: 'not_found' | 'not_member' | 'observer_owner' | 'past_due' | 'too_many' | 'forbidden';
	  };

type OwnerColumns = { owner_user_id: number | null; owner_name: string };

/**
 * The row values for an owner. A member owner must be on the board (AC-02) and able to act on
 * it: observers watch, they do not take on work, so they cannot own an action.
 */
async function ownerColumns(
	trx: Transaction<Database>,
	boardId: string,
	owner: OwnerChoice
): Promise<OwnerColumns | 'not_member' | 'observer_owner'> {
	if (owner.kind === 'none') return { owner_user_id: null, owner_name: '' };
	if (owner.kind === 'organisation') return { owner_user_id: null, owner_name: owner.name };
	const member = await trx
		.selectFrom('board_members')
		.select('role')
		.where('board_id', '=', boardId)
		.where('user_id', '=', owner.userId)
		.executeTakeFirst();
	if (!member) return 'not_member';
	if (member.role === 'observer') return 'observer_owner';
	return { owner_user_id: owner.userId, owner_name: '' };
}

/** A due date being set must not be before today in Japan (an unchanged one may have passed). */
const pastDue = (due: string | null, now: number) => due !== null && due < japanDate(now);

/**
 * Adds an action to a decision of this board. Its cards and their sources are copied from the
 * decision as it stands, so the action keeps its provenance whatever later happens to the cards.
 */
export async function createAction(
	db: Db,
	boardId: string,
	decisionId: number,
	input: ActionFields & { notes: string },
	by: Actor,
	now: number
): Promise<ActionResult> {
	return db.transaction().execute(async (trx) => {
		const latest = await trx
			.selectFrom('decision_revisions as r')
			.innerJoin('decisions as d', 'd.id', 'r.decision_id')
			.select('r.cards')
			.where('d.id', '=', decisionId)
			.where('d.board_id', '=', boardId)
			.orderBy('r.revision', 'desc')
			.limit(1)
			.executeTakeFirst();
		if (!latest) return { ok: false, error: 'not_found' } as const;
		const { n } = await trx
			.selectFrom('actions')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.where('board_id', '=', boardId)
			.executeTakeFirstOrThrow();
		if (Number(n) >= DECISION_LIMITS.actionsPerBoard)
			return { ok: false, error: 'too_many' } as const;
		if (pastDue(input.due, now)) return { ok: false, error: 'past_due' } as const;
		const owner = await ownerColumns(trx, boardId, input.owner);
		if (typeof owner === 'string') return { ok: false, error: owner } as const;
		const cards = cardRefsSchema.parse(JSON.parse(latest.cards));
		const sources = dedupeSources(cards.flatMap((c) => c.sources));
		const { id } = await trx
			.insertInto('actions')
			.values({
				board_id: boardId,
				decision_id: decisionId,
				title: input.title,
				...owner,
				due_date: input.due,
				status: 'open',
				notes: input.notes,
				cards: JSON.stringify(cards.map((c) => ({ id: c.id, title: c.title }))),
				sources: JSON.stringify(sources),
				created_by: by.id,
				created_at: now,
				updated_by: by.id,
				updated_at: now
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		await recordAudit(trx, {
			boardId,
			actor: by,
			kind: 'action_created',
			subject: `action:${id}`,
			detail: { decision: decisionId, title: input.title, due: input.due },
			at: now
		});
		return { ok: true, id } as const;
	});
}

function dedupeSources(sources: readonly Provenance[]): Provenance[] {
	const seen = new Set<string>();
	return sources.filter((s) => !seen.has(s.itemId) && seen.add(s.itemId));
}

/**
 * Status and notes, by the action's owner or a facilitator. Who may is decided here, inside the
 * transaction, from the stored owner — never from what the page sent.
 */
export async function updateProgress(
	db: Db,
	boardId: string,
	actionId: number,
	change: { status: ActionStatus; notes: string | undefined },
	by: Actor & { facilitator: boolean },
	now: number
): Promise<ActionResult> {
	return db.transaction().execute(async (trx) => {
		const row = await trx
			.selectFrom('actions')
			.select(['status', 'notes', 'owner_user_id'])
			.where('id', '=', actionId)
			.where('board_id', '=', boardId)
			.executeTakeFirst();
		if (!row) return { ok: false, error: 'not_found' } as const;
		if (!by.facilitator && row.owner_user_id !== by.id)
			return { ok: false, error: 'forbidden' } as const;
		const notes = change.notes ?? row.notes;
		await trx
			.updateTable('actions')
			.set({ status: change.status, notes, updated_by: by.id, updated_at: now })
			.where('id', '=', actionId)
			.execute();
		await recordAudit(trx, {
			boardId,
			actor: by,
			kind: 'action_updated',
			subject: `action:${actionId}`,
			detail: {
				status: [row.status, change.status],
				...(notes !== row.notes ? { notes: notes.slice(0, 200) } : {})
			},
			at: now
		});
		return { ok: true, id: actionId } as const;
	});
}

/** Title, owner and due date: facilitators only (the caller checks the role). */
export async function editAction(
	db: Db,
	boardId: string,
	actionId: number,
	fields: ActionFields,
	by: Actor,
	now: number
): Promise<ActionResult> {
	return db.transaction().execute(async (trx) => {
		const row = await trx
			.selectFrom('actions')
			.select(['title', 'due_date', 'owner_user_id', 'owner_name'])
			.where('id', '=', actionId)
			.where('board_id', '=', boardId)
			.executeTakeFirst();
		if (!row) return { ok: false, error: 'not_found' } as const;
		if (fields.due !== row.due_date && pastDue(fields.due, now))
			return { ok: false, error: 'past_due' } as const;
		const owner = await ownerColumns(trx, boardId, fields.owner);
		if (typeof owner === 'string') return { ok: false, error: owner } as const;
		await trx
			.updateTable('actions')
			.set({
				title: fields.title,
				due_date: fields.due,
				...owner,
				updated_by: by.id,
				updated_at: now
			})
			.where('id', '=', actionId)
			.execute();
		await recordAudit(trx, {
			boardId,
			actor: by,
			kind: 'action_updated',
			subject: `action:${actionId}`,
			detail: {
				title: [row.title, fields.title],
				due: [row.due_date, fields.due],
				owner: [row.owner_user_id ?? row.owner_name, owner.owner_user_id ?? owner.owner_name]
			},
			at: now
		});
		return { ok: true, id: actionId } as const;
	});
}

function actionsQuery(db: Db) {
	return db
		.selectFrom('actions as a')
		.leftJoin('users as o', 'o.id', 'a.owner_user_id')
		.select([
			'a.id',
			'a.board_id',
			'a.decision_id',
			'a.title',
			'a.owner_user_id',
			'a.owner_name',
			'a.due_date',
			'a.status',
			'a.notes',
			'a.cards',
			'a.sources',
			'a.created_at',
			'a.updated_at',
			'o.display_name as ownerDisplayName',
			'o.organisation as ownerOrganisation'
		]);
}

type ActionRow = Awaited<ReturnType<ReturnType<typeof actionsQuery>['execute']>>[number];

function toView(r: ActionRow): ActionView {
	const owner: ActionOwner =
		r.owner_user_id !== null
			? {
					kind: 'member',
					userId: r.owner_user_id,
					name: r.ownerDisplayName ?? '',
					organisation: r.ownerOrganisation ?? ''
				}
			: r.owner_name
				? { kind: 'organisation', name: r.owner_name }
				: { kind: 'none' };
	return {
		id: r.id,
		boardId: r.board_id,
		decisionId: r.decision_id,
		title: r.title,
		owner,
		due: r.due_date,
		status: r.status,
		notes: r.notes,
		cards: cardLinksSchema.parse(JSON.parse(r.cards)),
		sources: sourcesSchema.parse(JSON.parse(r.sources)),
		createdAt: r.created_at,
		updatedAt: r.updated_at
	};
}

/** A board's actions in the order they were agreed, at most the per-board limit. */
export async function listBoardActions(db: Db, boardId: string): Promise<ActionView[]> {
	const rows = await actionsQuery(db)
		.where('a.board_id', '=', boardId)
		.orderBy('a.decision_id')
		.orderBy('a.id')
		.limit(DECISION_LIMITS.actionsPerBoard)
		.execute();
	return rows.map(toView);
}

/**
 * The actions a user owns, across the boards they are still a member of (a removed member no
 * longer sees the board's content), soonest due first.
 */
export async function listOwnedActions(
	db: Db,
	userId: number
): Promise<(ActionView & { boardTitle: string })[]> {
	const rows = await actionsQuery(db)
		.innerJoin('boards as b', 'b.id', 'a.board_id')
		.innerJoin('board_members as m', (j) =>
			j.onRef('m.board_id', '=', 'a.board_id').on('m.user_id', '=', userId)
		)
		.select('b.title as boardTitle')
		.where('a.owner_user_id', '=', userId)
		.orderBy((eb) => eb.fn.coalesce('a.due_date', eb.val('9999-12-31')))
		.orderBy('a.id')
		.limit(DECISION_LIMITS.actionsPerBoard)
		.execute();
	return rows.map((r) => ({ ...toView(r), boardTitle: r.boardTitle }));
}
