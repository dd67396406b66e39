import { readBoard, type CardView, type SeedCard, type SeedLane } from '../../domain/board/doc';
import { LIMITS } from '../../domain/board/limits';
import { cardRefsSchema } from '../../domain/decisions/schemas';
import type { ActionView } from '../../domain/decisions/types';
import type { App } from '../app';
import { readBoardDoc } from '../collab';
import { listBoardActions } from '../decisions/actions';
import { getBoard } from './boards';
import { createBoard } from './create';

/** Names of the preset lanes as carried-over history reads them (seed content is Japanese). */
const LANE_JA: Record<string, string> = {
	unsorted: '未分類',
	top: '最優先',
	high: '優先',
	consider: '検討',
	hold: '保留'
};
const STATUS_JA: Record<ActionView['status'], string> = {
	open: '未着手',
	in_progress: '進行中',
	done: '完了',
	dropped: '取りやめ'
};

/** What merges brought into a carried card, so the next session still sees who wrote what. */
function mergedLines(c: CardView): string[] {
	return c.mergedFrom.map(
		(m) =>
			`統合元「${m.title}」${m.createdBy ? `（${m.createdBy.name}）` : ''}${m.note.trim() ? `: ${m.note.trim()}` : ''}`
	);
}

function ownerName(a: ActionView): string {
	return a.owner.kind === 'none' ? '未定' : a.owner.name;
}

/**
 * Starts the next workshop of a series from `fromId`: its still-open actions and the cards no
 * decision covered become the new board's cards, each with its provenance and a line of history
 * (where it stood, who owned it, by when); the board keeps the earlier board's lanes and each
 * carried card stays in its lane (open actions arrive unsorted); the members come along with
 * their roles; the two boards link to each other through `previous_board_id` and share a
 * `series_id`.
 */
export async function createFollowUp(
	app: App,
	fromId: string,
	input: { title: string; workshopDate: string | null; author: { id: number; name: string } }
): Promise<string> {
	const { db } = app;
	const from = await getBoard(db, fromId);
	if (!from) throw new Error(`no board ${fromId}`);
	const doc = await readBoardDoc(app, fromId);
	const view = readBoard(doc);
	doc.destroy();

	const revisions = await db
		.selectFrom('decision_revisions as r')
		.innerJoin('decisions as d', 'd.id', 'r.decision_id')
		.select('r.cards')
		.where('d.board_id', '=', fromId)
		.execute();
	const decided = new Set(
		revisions.flatMap((r) => cardRefsSchema.parse(JSON.parse(r.cards)).map((c) => c.id))
	);

	const openActions = (await listBoardActions(db, fromId)).filter(
		(a) => a.status === 'open' || a.status === 'in_progress'
	);
	const actionCards: SeedCard[] = openActions.map((a) => ({
		title: a.title,
		titleEn: '',
		note: [
			a.notes,
			`前回「${from.title}」のアクション（担当: ${ownerName(a)}・期限: ${a.due ?? '未定'}・${STATUS_JA[a.status]}）`
		]
			.filter(Boolean)
			.join('\n\n'),
		kind: 'note',
		sources: a.sources
	}));
	const undecided: SeedCard[] = view.lanes.flatMap((lane) =>
		lane.cards
			.filter((c) => !decided.has(c.id))
			.map((c) => ({
				title: c.title,
				titleEn: c.titleEn,
				note: [
					c.note,
					mergedLines(c).join('\n'),
					`前回「${from.title}」から引き継ぎ（${lane.title || LANE_JA[lane.preset] || ''}）`
				]
					.filter(Boolean)
					.join('\n\n'),
				kind: c.kind,
				sources: c.sources,
				lane: lane.id
			}))
	);
	// Two people adding a lane at once can pass the lane limit: the new board keeps the unsorted
	// lane and the first others up to the limit (cards of a lane left out arrive unsorted).
	let room = LIMITS.lanes - 1;
	const lanes: SeedLane[] = view.lanes
		.filter((l) => l.preset === 'unsorted' || room-- > 0)
		.map((l) => ({ key: l.id, title: l.title, preset: l.preset }));

	const now = app.now();
	const id = await createBoard(db, {
		title: input.title,
		purpose: `「${from.title}」のフォローアップ`,
		workshopDate: input.workshopDate,
		template: { type: 'followup', from: fromId },
		cards: [...actionCards, ...undecided].slice(0, LIMITS.seedItems),
		lanes,
		author: input.author,
		now,
		previous: { id: fromId, seriesId: from.series_id ?? fromId }
	});
	const members = await db
		.selectFrom('board_members')
		.select(['user_id', 'role'])
		.where('board_id', '=', fromId)
		.where('user_id', '!=', input.author.id)
		.execute();
	if (members.length > 0)
		await db
			.insertInto('board_members')
			.values(
				members.map((m) => ({
					board_id: id,
					user_id: m.user_id,
					role: m.role,
					added_by: input.author.id,
					added_at: now
				}))
			)
			.execute();
	return id;
}

export interface SeriesLinks {
	previous: { id: string; title: string } | null;
	next: { id: string; title: string }[];
}

/** The boards before and after this one in its series that `userId` can open. */
export async function seriesLinks(app: App, boardId: string, userId: number): Promise<SeriesLinks> {
	const { db } = app;
	const board = await getBoard(db, boardId);
	const visible = (q: string) =>
		db
			.selectFrom('boards as b')
			.innerJoin('board_members as m', (j) =>
				j.onRef('m.board_id', '=', 'b.id').on('m.user_id', '=', userId)
			)
			.select(['b.id', 'b.title'])
			.where('b.id', '=', q);
	const previous = board?.previous_board_id
		? ((await visible(board.previous_board_id).executeTakeFirst()) ?? null)
		: null;
	const next = await db
		.selectFrom('boards as b')
		.innerJoin('board_members as m', (j) =>
			j.onRef('m.board_id', '=', 'b.id').on('m.user_id', '=', userId)
		)
		.select(['b.id', 'b.title'])
		.where('b.previous_board_id', '=', boardId)
		.orderBy('b.created_at')
		.execute();
	return { previous, next };
}
