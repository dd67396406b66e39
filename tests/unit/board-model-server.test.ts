import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
	addCard,
	addLabel,
	addLane,
	archiveCard,
	mergeCards,
	moveCard,
	readBoard,
	renameLane,
	setCardLabel,
	type Provenance
} from '../../src/lib/domain/board/doc';
import { ROOTS } from '../../src/lib/domain/board/schema';
import { createFollowUp } from '../../src/lib/server/boards/follow-up';
import { changeBoardDoc, readBoardDoc } from '../../src/lib/server/collab';
import { createAction } from '../../src/lib/server/decisions/actions';
import { recordDecision } from '../../src/lib/server/decisions/decisions';
import { readDecisionForm } from '../../src/lib/server/decisions/form-input';
import { gatherBundle } from '../../src/lib/server/exports/gather';
import { readBoardCards } from '../../src/lib/server/votes/cards';
import { startTestServer, type TestServer } from '../helpers/collab';
import { voteBoard, voters } from '../helpers/votes';
import type { TestUser } from '../helpers/users';

let s: TestServer;
let writer: TestUser;
const author = (u: TestUser) => ({ id: u.id, name: u.displayName });

beforeAll(async () => {
	s = await startTestServer();
	[writer] = (await voters(s.app, ['industry'])) as [TestUser];
});
afterAll(() => s.close());

const laneId = async (boardId: string, preset: string) => {
	const { view } = await readBoardCards(s.app, boardId);
	return view.lanes.find((l) => l.preset === preset)!.id;
};

describe('boards stored by the earlier model', () => {
	test('targets holding copied sources and merges without a record read correctly from SQLite', async () => {
		const board = await voteBoard(s.app, 3, [[writer, 'participant']]);
		const [target, a, b] = board.cards as [string, string, string];
		// What the earlier mergeCards wrote: sources copied into the target, no `merge` field on
		// any card (the earlier cardMap did not write one).
		await changeBoardDoc(
			s.app,
			board.id,
			(doc) => {
				const cards = doc.getMap<Y.Map<unknown>>(ROOTS.cards);
				const into = cards.get(target)!.get('sources') as Y.Array<Provenance>;
				for (const id of [a, b]) {
					const m = cards.get(id)!;
					into.push((m.get('sources') as Y.Array<Provenance>).toArray().map((x) => ({ ...x })));
					m.set('archived', true);
					m.set('mergedInto', target);
				}
				for (const m of cards.values()) m.delete('merge');
			},
			'test'
		);
		const cards = await readBoardCards(s.app, board.id);
		const t = cards.byId.get(target)!;
		expect(t.sources.map((x) => x.itemId)).toEqual(['cocn25-001', 'cocn25-002', 'cocn25-003']);
		expect(t.mergedFrom.map((m) => [m.title, m.merge]).sort()).toEqual([
			['提言 2', null],
			['提言 3', null]
		]);
		expect(cards.view.lanes.flatMap((l) => l.cards).map((c) => c.id)).toEqual([target]);
		expect(cards.view.archived.map((c) => c.mergedInto)).toEqual([target, target]);

		// A decision on that card keeps what was merged into it.
		const form = new FormData();
		form.append('card', target);
		form.append('text', '統合した提言を進める');
		form.append('rationale', '重複をまとめた');
		const parsed = await readDecisionForm(s.app, board.id, form);
		if (!parsed.ok) throw new Error(JSON.stringify(parsed.failure));
		expect(parsed.value.cards[0]!.sources).toHaveLength(3);
		expect(parsed.value.cards[0]!.mergedFrom?.map((m) => m.title).sort()).toEqual([
			'提言 2',
			'提言 3'
		]);
		// The merged-away cards are counted nowhere: no decision on them.
		const onArchived = new FormData();
		onArchived.append('card', a);
		onArchived.append('text', '統合された側');
		onArchived.append('rationale', '重複');
		const refused = await readDecisionForm(s.app, board.id, onArchived);
		expect(refused.ok ? null : refused.failure).toMatchObject({
			errors: { cards: { key: 'error.invalid' } }
		});
	});
});

describe('exports follow the board', () => {
	test("actions carry their cards' labels and merged cards; the board lists no archived card", async () => {
		const board = await voteBoard(s.app, 4, [[writer, 'participant']]);
		const [c0, c1, c2, c3] = board.cards as [string, string, string, string];
		await changeBoardDoc(
			s.app,
			board.id,
			(doc) => {
				const label = addLabel(doc, { name: '短期', color: 'green' });
				setCardLabel(doc, c0, label, true);
				const note = addCard(doc, {
					title: '現場からの付箋',
					note: '中小企業の声',
					lane: readBoard(doc).lanes[0]!.id,
					author: author(writer),
					now: 5
				});
				mergeCards(doc, c0, [c1], author(writer), 6);
				mergeCards(doc, c0, [note], author(writer), 7);
				archiveCard(doc, c3);
			},
			'test'
		);
		const cards = await readBoardCards(s.app, board.id);
		const c = cards.byId.get(c0)!;
		const fac = author(board.facilitator);
		const decided = await recordDecision(
			s.db,
			board.id,
			null,
			{
				text: '進める',
				rationale: '',
				dissent: [],
				cards: [{ id: c0, title: c.title, sources: c.sources }],
				vote: null
			},
			fac,
			10
		);
		if (!decided.ok) throw new Error(decided.error);
		const action = await createAction(
			s.db,
			board.id,
			decided.id,
			{ title: '工程表', owner: { kind: 'none' }, due: null, notes: '' },
			fac,
			11
		);
		if (!action.ok) throw new Error(action.error);

		const bundle = (await gatherBundle(
			s.app,
			board.id,
			{ record: true, votes: false, cards: true },
			12
		))!;
		expect(bundle.actions[0]!.labels).toEqual(['短期']);
		expect(bundle.actions[0]!.mergedFrom.map((m) => [m.title, m.note, m.author])).toEqual([
			['提言 2', '', 'ファシリテーター'],
			['現場からの付箋', '中小企業の声', writer.displayName]
		]);
		expect(bundle.actions[0]!.sources.map((x) => x.itemId)).toEqual(['cocn25-001', 'cocn25-002']);
		const onBoard = bundle.lanes.flatMap((l) => l.cards.map((x) => x.id));
		expect(onBoard.sort()).toEqual([c0, c2].sort());
		expect(bundle.labels).toEqual([{ name: '短期', color: 'green' }]);
		const actionsOnly = await gatherBundle(
			s.app,
			board.id,
			{ record: false, votes: false, cards: false },
			12
		);
		expect(actionsOnly!.lanes).toEqual([]);
		expect(actionsOnly!.actions[0]!.labels).toEqual(['短期']);
	});
});

describe('follow-up boards', () => {
	test("a follow-up keeps the earlier board's lanes and each carried card's lane", async () => {
		const board = await voteBoard(s.app, 5, [[writer, 'participant']]);
		const [c0, c1, c2, c3, c4] = board.cards as [string, string, string, string, string];
		const top = await laneId(board.id, 'top');
		const hold = await laneId(board.id, 'hold');
		let budget = '';
		await changeBoardDoc(
			s.app,
			board.id,
			(doc) => {
				budget = addLane(doc, '予算');
				renameLane(doc, top, '今年度中');
				moveCard(doc, c0, top, 0);
				moveCard(doc, c1, top, 1);
				moveCard(doc, c2, budget, 0);
				moveCard(doc, c3, hold, 0);
				mergeCards(doc, c1, [c4], author(writer), 3);
			},
			'test'
		);
		const next = await createFollowUp(s.app, board.id, {
			title: '第 2 回',
			workshopDate: null,
			author: author(board.facilitator)
		});
		const doc = await readBoardDoc(s.app, next);
		const view = readBoard(doc);
		doc.destroy();
		expect(view.lanes.map((l) => [l.preset, l.title, l.cards.map((c) => c.title)])).toEqual([
			['unsorted', '', []],
			['top', '今年度中', ['提言 1', '提言 2']],
			['high', '', []],
			['consider', '', []],
			['hold', '', ['提言 4']],
			['custom', '予算', ['提言 3']]
		]);
		const carried = view.lanes[1]!.cards[1]!;
		// The merge travels as text and provenance: who wrote the merged card, and its source.
		expect(carried.note).toContain('統合元「提言 5」（ファシリテーター）');
		expect(carried.note).toContain('前回「投票テスト」から引き継ぎ（今年度中）');
		expect(carried.sources.map((x) => x.itemId)).toEqual(['cocn25-002', 'cocn25-005']);
	});

	test('a board over the lane limit (two lanes added at once) still gets its follow-up', async () => {
		const board = await voteBoard(s.app, 2, [[writer, 'participant']]);
		let last = '';
		await changeBoardDoc(
			s.app,
			board.id,
			(doc) => {
				for (let i = readBoard(doc).lanes.length; i < 12; i++) last = addLane(doc, `L${i}`);
				// What a concurrent second add leaves behind: a thirteenth lane.
				const twin = doc.getMap<Y.Map<unknown>>(ROOTS.lanes).get(last)!.clone();
				twin.set('title', '同時に追加');
				// Ordered after every other lane, so it is the one over the limit.
				twin.set('order', `${String(twin.get('order'))}V`);
				doc.getMap<Y.Map<unknown>>(ROOTS.lanes).set('twin', twin);
				moveCard(doc, board.cards[0]!, 'twin', 0);
				moveCard(doc, board.cards[1]!, last, 0);
			},
			'test'
		);
		const next = await createFollowUp(s.app, board.id, {
			title: '第 2 回',
			workshopDate: null,
			author: author(board.facilitator)
		});
		const doc = await readBoardDoc(s.app, next);
		const view = readBoard(doc);
		doc.destroy();
		expect(view.lanes).toHaveLength(12);
		expect(view.lanes.map((l) => l.title)).not.toContain('同時に追加');
		expect(view.lanes[0]!.cards.map((c) => c.title)).toEqual(['提言 1']);
		expect(view.lanes.at(-1)!.cards.map((c) => c.title)).toEqual(['提言 2']);
	});
});
