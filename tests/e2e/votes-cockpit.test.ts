import { ballotOrder } from '../../src/lib/domain/votes/order';
import { seriousViolations } from './a11y';
import { expect, open, test } from './fixtures';
import {
	openVote,
	openVotePage,
	person,
	post,
	progress,
	sessionCards,
	TALLY_MARKERS,
	TITLES,
	voteBoard,
	type Person
} from './votes-helpers';

/**
 * What the facilitator chooses and sees around a vote: whether facilitators vote, each voter's
 * own card order, a private preview of the results that never reaches anyone else, close and
 * reveal in one step; and what a voter gets: note and sources on demand, a refused ballot kept
 * as typed with the reason beside it, "—" where a card has no votes.
 */
test.describe.configure({ mode: 'serial' });

let board: string;
let fac: Person;
let a: Person;
let b: Person;
let a2: Person;
let b2: Person;
let obs: Person;
let sid: number;

test.beforeAll(async ({ browser }) => {
	fac = await person(browser, '司会 佐藤 花子', 'government');
	a = await person(browser, '産業 A', 'industry');
	a2 = await person(browser, '産業 A2', 'industry');
	b = await person(browser, '学術 B', 'academia');
	b2 = await person(browser, '学術 B2', 'academia');
	obs = await person(browser, '記者 O', 'media');
	board = await voteBoard(fac.user, [
		[a.user, 'participant'],
		[a2.user, 'participant'],
		[b.user, 'participant'],
		[b2.user, 'participant'],
		[obs.user, 'observer']
	]);
});

test.afterAll(async () => {
	for (const p of [fac, a, a2, b, b2, obs]) await p?.context.close();
});

test('AC-06 a vote without facilitators (the default): eligible counts participants only, the facilitator gets no ballot', async () => {
	sid = await openVote(fac, board, '100 ポイント', /^100 ポイント配分/u, {}, { minGroup: '2' });
	await expect(fac.page.getByText('ファシリテーターは投票しない')).toBeVisible();
	await expect(progress(fac)).toHaveText('4 人中 0 人が投票済み');
	await expect(fac.page.getByRole('heading', { name: 'あなたの投票' })).toHaveCount(0);
	await expect(fac.page.getByText('この投票には参加できません。')).toBeVisible();
	const cards = await sessionCards(sid);
	const refused = await post(fac, `/boards/${board}/votes/${sid}?/cast`, {
		[`c.${cards[0]}`]: '100'
	});
	expect(refused.status()).toBe(400);
	await openVotePage(obs, board, sid);
	await expect(progress(obs)).toHaveText('4 人中 0 人が投票済み');
	// The dashboard's "not voted yet" follows the same choice: the facilitator is not listed.
	await open(fac.page, `/boards/${board}`);
	const pending = fac.page.getByText(/「100 ポイント」に未投票/u);
	await expect(pending).toContainText('産業 A');
	await expect(pending).not.toContainText('司会 佐藤 花子');
});

test('each voter sees the cards in an order of their own, the same on every load; note and sources on demand', async () => {
	const cards = await sessionCards(sid);
	const order = async (p: Person) =>
		p.page
			.locator('ul.ballot li[data-card-id]')
			.evaluateAll((lis) => lis.map((li) => li.getAttribute('data-card-id')));
	await openVotePage(a, board, sid);
	await expect(a.page.getByText('カードの並び順はあなた専用に入れ替えています')).toBeVisible();
	const first = await order(a);
	expect(first).toEqual(ballotOrder(cards, sid, a.user.id));
	await a.page.reload();
	expect(await order(a)).toEqual(first);
	await openVotePage(b, board, sid);
	const other = await order(b);
	expect(other).toEqual(ballotOrder(cards, sid, b.user.id));
	expect([...other].sort()).toEqual([...cards].sort());
	// Not the board's order for both (1 in 518,400 by chance).
	expect(first.join() === cards.join() && other.join() === cards.join()).toBe(false);

	const item = a.page.locator('ul.ballot li', { hasText: TITLES[0] });
	await item.getByText('メモと出典').click();
	await expect(item.locator('blockquote').first()).toBeVisible();
	expect(await seriousViolations(a.page)).toEqual([]);
});

test('a refused ballot keeps everything typed and says what is wrong beside it', async () => {
	const field = (title: string) => a.page.getByLabel(`「${title}」に配分するポイント`);
	await field(TITLES[0]).fill('70');
	await field(TITLES[1]).fill('50');
	await a.page.getByRole('button', { name: '投票する', exact: true }).click();
	const ballot = a.page.locator('form.ballot-form');
	await expect(ballot.getByRole('alert')).toContainText('持ち点を超えています。');
	await expect(field(TITLES[0])).toHaveValue('70');
	await expect(field(TITLES[1])).toHaveValue('50');
	await expect(progress(a)).toHaveText('4 人中 0 人が投票済み');
	await field(TITLES[1]).fill('30');
	await a.page.getByRole('button', { name: '投票する', exact: true }).click();
	await expect(a.page.getByRole('status').filter({ hasText: '投票を記録しました' })).toBeVisible();
	await expect(field(TITLES[0])).toHaveValue('70');
});

test('the private preview is the facilitator’s alone: never on a participant’s or observer’s page, data or socket', async () => {
	const cards = await sessionCards(sid);
	const title = (t: string) => cards[TITLES.indexOf(t as (typeof TITLES)[number])]!;
	for (const [p, t] of [
		[a2, TITLES[0]],
		[b, TITLES[1]],
		[b2, TITLES[0]]
	] as const) {
		const r = await post(p, `/boards/${board}/votes/${sid}?/cast`, { [`c.${title(t)}`]: '100' });
		expect(r.status()).toBe(200);
	}
	for (const p of [a, b, obs]) await openVotePage(p, board, sid);
	await expect(progress(obs)).toHaveText('4 人中 4 人が投票済み');

	await openVotePage(fac, board, sid);
	await fac.page.getByRole('button', { name: '投票を締め切る' }).click();
	const preview = fac.page.getByRole('region', { name: '非公開のプレビュー' });
	await expect(preview).toBeVisible();
	await expect(preview.getByRole('heading', { name: '結果', exact: true })).toBeVisible();
	await expect(preview).toContainText('ファシリテーターだけに表示');
	// A card nobody voted for: "—", not a number, for consensus and gap.
	const empty = preview.locator('table.results tbody tr', { hasText: TITLES[3] });
	await expect(empty.locator('td.measure').last()).toHaveText('—');
	await expect(empty.locator('td').last()).toHaveText('—');
	const voted = preview.locator('table.results tbody tr', { hasText: TITLES[0] });
	await expect(voted.locator('td.measure').last().locator('.value')).toHaveText(/\d+\s*%/u);
	await preview.getByText('合意度とセクター間の差について').click();
	await expect(preview).toContainText('誰も票を入れなかったカードは');
	expect(await seriousViolations(fac.page)).toEqual([]);

	// Everyone else: closed, results sealed — on the page, in __data.json and in every frame.
	for (const p of [a, b, obs]) {
		await p.page.reload();
		await p.page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
		await expect(p.page.getByText('非公開のプレビュー')).toHaveCount(0);
		await expect(p.page.getByRole('heading', { name: '結果', exact: true })).toHaveCount(0);
		const data = await p.context.request.get(`/boards/${board}/votes/${sid}/__data.json`);
		p.payloads.push(await data.text());
		const seen = [...p.payloads, ...p.frames].join('\n');
		expect(p.frames.length).toBeGreaterThan(0);
		for (const marker of TALLY_MARKERS)
			expect(seen, `${p.user.displayName}: ${marker}`).not.toContain(marker);
	}
	for (const p of [a, obs]) {
		const r = await p.context.request.get(
			`/boards/${board}/export?format=results-csv&session=${sid}`
		);
		expect(r.status()).toBe(404);
	}

	await fac.page.getByRole('button', { name: '結果を公開する' }).click();
	await expect(a.page.getByRole('heading', { name: '結果', exact: true })).toBeVisible();
});

test('close and reveal in one step; facilitators vote when the facilitator says so', async () => {
	await open(fac.page, `/boards/${board}/votes`);
	await fac.page.getByLabel('投票の名前').fill('賛成投票');
	await fac.page.getByRole('radio', { name: /^賛成投票/u }).check();
	await fac.page.getByRole('checkbox', { name: /^ファシリテーターも投票する/u }).check();
	await fac.page.getByRole('checkbox', { name: /^カードの並び順を投票者ごとに/u }).uncheck();
	await fac.page.getByRole('button', { name: '投票を開始する' }).click();
	await expect(fac.page).toHaveURL(/\/votes\/\d+$/u);
	const second = Number(/\/votes\/(\d+)$/u.exec(fac.page.url())![1]);
	await expect(progress(fac)).toHaveText('5 人中 0 人が投票済み');
	await expect(fac.page.getByText('ファシリテーターも投票', { exact: true })).toBeVisible();
	// Unshuffled: the session's own order.
	const ids = await fac.page
		.locator('ul.ballot li[data-card-id]')
		.evaluateAll((lis) => lis.map((li) => li.getAttribute('data-card-id')));
	expect(ids).toEqual(await sessionCards(second));
	await fac.page.locator('ul.ballot li', { hasText: TITLES[1] }).getByRole('checkbox').check();
	await fac.page.getByRole('button', { name: '投票する', exact: true }).click();
	await expect(progress(fac)).toHaveText('5 人中 1 人が投票済み');

	await openVotePage(a, board, second);
	await fac.page.getByRole('button', { name: '締め切って結果を公開する' }).click();
	await expect(
		fac.page.getByRole('status').filter({ hasText: '結果を公開しました' })
	).toBeVisible();
	await expect(a.page.getByRole('heading', { name: '結果', exact: true })).toBeVisible();
	await expect(fac.page.getByText('非公開のプレビュー')).toHaveCount(0);
});
