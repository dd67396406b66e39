import {
	DEFAULT_FACILITATION,
	isPhase,
	writeFacilitation,
	type Facilitation,
	type Spotlight,
	type Timer
} from '../../domain/board/facilitation';
import { addCard, readBoard } from '../../domain/board/doc';
import { LIMITS } from '../../domain/board/limits';
import type { App } from '../app';
import { changeBoardDoc } from '../collab';
import { FACILITATION_ORIGIN } from '../collab/policy';
import type { Db } from '../db/connect';
import { announceFacilitationChanged } from '../events/announce';

function parse<T>(json: string | null): T | null {
	if (json === null) return null;
	try {
		return JSON.parse(json) as T;
	} catch {
		return null;
	}
}

/** The board's facilitation state from SQL (the authority); defaults for a board never touched. */
export async function getFacilitation(db: Db, boardId: string): Promise<Facilitation> {
	const row = await db
		.selectFrom('board_facilitation')
		.selectAll()
		.where('board_id', '=', boardId)
		.executeTakeFirst();
	if (!row) return { ...DEFAULT_FACILITATION };
	return {
		phase: isPhase(row.phase) ? row.phase : DEFAULT_FACILITATION.phase,
		locked: row.locked === 1,
		timer: parse<Timer>(row.timer),
		spotlight: parse<Spotlight>(row.spotlight)
	};
}

/**
 * Changes the facilitation state: written to SQL first, then mirrored into the board document
 * (persisted and broadcast like any edit), then announced so open connections apply the new
 * rules (lock, phase) at once.
 */
export async function updateFacilitation(
	app: App,
	boardId: string,
	change: (f: Facilitation) => Facilitation
): Promise<Facilitation> {
	const next = await app.db.transaction().execute(async (trx) => {
		const f = change(await getFacilitation(trx, boardId));
		const row = {
			phase: f.phase,
			locked: f.locked ? 1 : 0,
			timer: f.timer ? JSON.stringify(f.timer) : null,
			spotlight: f.spotlight ? JSON.stringify(f.spotlight) : null,
			updated_at: app.now()
		};
		await trx
			.insertInto('board_facilitation')
			.values({ board_id: boardId, ...row })
			.onConflict((oc) => oc.column('board_id').doUpdateSet(row))
			.execute();
		return f;
	});
	await changeBoardDoc(app, boardId, (doc) => writeFacilitation(doc, next), FACILITATION_ORIGIN);
	await announceFacilitationChanged(app, { boardId, phase: next.phase, locked: next.locked });
	return next;
}

export interface DraftView {
	id: number;
	title: string;
	note: string;
	createdAt: number;
}

export async function listOwnDrafts(db: Db, boardId: string, userId: number): Promise<DraftView[]> {
	return db
		.selectFrom('board_drafts')
		.select(['id', 'title', 'note', 'created_at as createdAt'])
		.where('board_id', '=', boardId)
		.where('user_id', '=', userId)
		.where('revealed_at', 'is', null)
		.orderBy('id')
		.execute();
}

/** How many drafts wait to be revealed, and from how many people (what the facilitator sees). */
export async function draftCounts(
	db: Db,
	boardId: string
): Promise<{ drafts: number; authors: number }> {
	const r = await db
		.selectFrom('board_drafts')
		.select((eb) => [
			eb.fn.countAll<number>().as('drafts'),
			eb.fn.count<number>('user_id').distinct().as('authors')
		])
		.where('board_id', '=', boardId)
		.where('revealed_at', 'is', null)
		.executeTakeFirstOrThrow();
	return { drafts: Number(r.drafts), authors: Number(r.authors) };
}

/** A private draft: in SQL only, never in the shared document, until revealed. */
export async function addDraft(
	db: Db,
	d: { boardId: string; userId: number; title: string; note: string; now: number }
): Promise<'ok' | 'limit'> {
	const mine = await listOwnDrafts(db, d.boardId, d.userId);
	// One person's drafts are bounded like the cards they will become.
	if (mine.length >= 50) return 'limit';
	await db
		.insertInto('board_drafts')
		.values({
			board_id: d.boardId,
			user_id: d.userId,
			title: d.title,
			note: d.note,
			created_at: d.now
		})
		.execute();
	return 'ok';
}

export async function deleteDraft(
	db: Db,
	boardId: string,
	userId: number,
	draftId: number
): Promise<boolean> {
	const r = await db
		.deleteFrom('board_drafts')
		.where('id', '=', draftId)
		.where('board_id', '=', boardId)
		.where('user_id', '=', userId)
		.where('revealed_at', 'is', null)
		.executeTakeFirst();
	return Number(r.numDeletedRows) > 0;
}

/**
 * Reveals every waiting draft: each becomes a card in the unsorted lane under its author's name,
 * in one document change, and is marked revealed. Returns how many were revealed.
 */
export async function revealDrafts(app: App, boardId: string): Promise<number> {
	const drafts = await app.db
		.selectFrom('board_drafts as d')
		.innerJoin('users as u', 'u.id', 'd.user_id')
		.select(['d.id', 'd.title', 'd.note', 'd.user_id', 'u.display_name'])
		.where('d.board_id', '=', boardId)
		.where('d.revealed_at', 'is', null)
		.orderBy('d.id')
		.execute();
	if (drafts.length === 0) return 0;
	const now = app.now();
	await changeBoardDoc(
		app,
		boardId,
		(doc) => {
			const lanes = readBoard(doc).lanes;
			const lane = (lanes.find((l) => l.preset === 'unsorted') ?? lanes[0])?.id;
			if (!lane) return;
			for (const d of drafts.slice(0, LIMITS.seedItems))
				addCard(doc, {
					title: d.title,
					note: d.note,
					lane,
					author: { id: d.user_id, name: d.display_name },
					now
				});
		},
		'drafts'
	);
	await app.db
		.updateTable('board_drafts')
		.set({ revealed_at: now })
		.where(
			'id',
			'in',
			drafts.map((d) => d.id)
		)
		.execute();
	return drafts.length;
}
