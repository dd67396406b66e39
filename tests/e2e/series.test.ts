import * as Y from 'yjs';
import { LANE_PRESETS, readBoard } from '../../src/lib/domain/board/doc';
import { addMember } from '../../src/lib/server/boards/members';
import { createBoard } from '../../src/lib/server/boards/create';
import { seedCardsFor } from '../../src/lib/server/boards/seed-cards';
import { createAction } from '../../src/lib/server/decisions/actions';
import { recordDecision } from '../../src/lib/server/decisions/decisions';
import { createUser, dueIn, e2eDb, expect, openBoard, openCardDialog, test } from './fixtures';

const DUE = dueIn(30);

test('a follow-up board carries the open actions and the undecided cards, and the boards link', async ({
	browser,
	user
}) => {
	const p = await createUser(e2eDb().db, { displayName: '引き継ぐ人' });
	const db = e2eDb().db;
	// The first session sorted its cards: one into 最優先, one into a lane of its own.
	const { cards: seeds } = await seedCardsFor(db, {
		type: 'report',
		slug: 'cocn-7th-basic-plan-2025',
		kinds: ['proposal']
	});
	const id = await createBoard(db, {
		title: 'e2e ワークショップ',
		purpose: '',
		workshopDate: null,
		template: { type: 'report', slug: 'cocn-7th-basic-plan-2025', kinds: ['proposal'] },
		cards: seeds.slice(0, 4).map((c, i) => ({ ...c, lane: ['', 'top', 'budget', ''][i] })),
		lanes: [
			...LANE_PRESETS.map((preset) => ({ key: preset, title: '', preset })),
			{ key: 'budget', title: '予算', preset: 'custom' as const }
		],
		author: { id: user.id, name: user.displayName },
		now: Date.now()
	});
	await addMember(db, id, {
		username: p.username,
		role: 'participant',
		by: user.id,
		now: Date.now()
	});
	const fac = await openBoard(browser, user, id);
	const boardDoc = async (boardId: string) => {
		const snapshot = await db
			.selectFrom('collab_snapshots')
			.select('data')
			.where('board_id', '=', boardId)
			.executeTakeFirstOrThrow();
		const doc = new Y.Doc();
		Y.applyUpdate(doc, snapshot.data);
		return readBoard(doc);
	};
	const cardsBefore = (await boardDoc(id)).lanes.flatMap((l) => l.cards);
	const titles = cardsBefore.map((c) => c.title);
	// The first card is decided, with one open and one done action.
	const actor = { id: user.id, name: user.displayName };
	const decided = await recordDecision(
		db,
		id,
		null,
		{
			text: '優先的に進める',
			rationale: '',
			dissent: [],
			cards: [{ id: cardsBefore[0]!.id, title: titles[0]!, sources: cardsBefore[0]!.sources }],
			vote: null
		},
		actor,
		Date.now()
	);
	if (!decided.ok) throw new Error(decided.error);
	await createAction(
		db,
		id,
		decided.id,
		{
			title: '工程表を作る',
			owner: { kind: 'organisation', name: 'COCN 事務局' },
			due: DUE,
			notes: ''
		},
		actor,
		Date.now()
	);
	const done = await createAction(
		db,
		id,
		decided.id,
		{ title: '済んだこと', owner: { kind: 'none' }, due: null, notes: '' },
		actor,
		Date.now()
	);
	if (!done.ok) throw new Error('action');
	await db
		.updateTable('actions')
		.set({ status: 'done' })
		.where('title', '=', '済んだこと')
		.execute();

	await fac.getByText('次回のボードを作る').click();
	await fac.getByLabel('次回のボード名').fill('第 2 回ワークショップ');
	await fac.getByRole('button', { name: '作成' }).click();
	await expect(fac.getByRole('heading', { level: 1 })).toHaveText('第 2 回ワークショップ');
	await expect(fac.getByRole('link', { name: 'e2e ワークショップ' })).toBeVisible();
	const next = fac.url().split('/').pop()!;
	const cards = fac.locator('article[data-card-id]');
	await expect(cards.filter({ hasText: '工程表を作る' })).toHaveCount(1);
	await expect(cards.filter({ hasText: '済んだこと' })).toHaveCount(0);
	await expect(cards.filter({ hasText: titles[0]! })).toHaveCount(0);
	await expect(cards.filter({ hasText: titles[1]! })).toHaveCount(1);
	await openCardDialog(cards.filter({ hasText: '工程表を作る' }));
	await expect(fac.getByRole('dialog').getByLabel('メモ')).toHaveValue(
		new RegExp(
			`前回「e2e ワークショップ」のアクション（担当: COCN 事務局・期限: ${DUE}・未着手）`,
			'u'
		)
	);
	await expect(fac.getByRole('dialog').locator('blockquote')).toHaveCount(1);
	await fac.getByRole('dialog').getByRole('button', { name: '閉じる' }).click();

	// The lanes came along, and each carried card stayed in its lane (the decided one is gone).
	const lanesAfter = (await boardDoc(next)).lanes;
	expect(lanesAfter.map((l) => l.title || l.preset)).toEqual([
		'unsorted',
		'top',
		'high',
		'consider',
		'hold',
		'予算'
	]);
	const laneOfTitle = (title: string) =>
		lanesAfter.find((l) => l.cards.some((c) => c.title === title))?.title ||
		lanesAfter.find((l) => l.cards.some((c) => c.title === title))?.preset;
	expect(titles.map(laneOfTitle)).toEqual([undefined, 'unsorted', 'top', '予算']);
	expect(laneOfTitle('工程表を作る')).toBe('unsorted');

	// The participant came along, and the earlier board links forward.
	const pp = await openBoard(browser, p, next);
	await expect(pp.getByText('あなたの役割: 参加者')).toBeVisible();
	await pp.goto(`/boards/${id}`);
	await expect(pp.getByRole('link', { name: '次回のボード: 第 2 回ワークショップ' })).toBeVisible();
	await pp.goto('/boards');
	await expect(pp.getByRole('heading', { name: /シリーズ: e2e ワークショップ/u })).toContainText(
		'未完了のアクション 1 件'
	);
	await fac.context().close();
	await pp.context().close();
});
