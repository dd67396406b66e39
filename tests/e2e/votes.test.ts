import { parse } from 'csv-parse/sync';
import { seriousViolations } from './a11y';
import { e2eDb, expect, open, openCardDialog, test } from './fixtures';
import {
	closeAndReveal,
	openVote,
	openVotePage,
	person,
	post,
	progress,
	ranking,
	sessionCards,
	TALLY_MARKERS,
	TITLES,
	voteBoard,
	type Person
} from './votes-helpers';

/**
 * Voting end to end, in several browser contexts at once: a facilitator (government), three
 * participants from different sectors, four more participants who vote without a browser, and
 * an observer (press). One board, one session per method, in order.
 */
test.describe.configure({ mode: 'serial' });

let board: string;
let fac: Person;
let a: Person;
let b: Person;
let c: Person;
let obs: Person;
/** Extra participants (3 industry, 1 civil society) so one sector is big enough to show alone. */
let extra: Person[];

test.beforeAll(async ({ browser }) => {
	fac = await person(browser, 'ファシリテーター', 'government');
	a = await person(browser, '産業 A', 'industry');
	b = await person(browser, '学術 B', 'academia');
	c = await person(browser, '市民 C', 'civil_society');
	obs = await person(browser, '記者 O', 'media');
	extra = [
		await person(browser, '産業 X1', 'industry'),
		await person(browser, '産業 X2', 'industry'),
		await person(browser, '産業 X3', 'industry'),
		await person(browser, '市民 Y1', 'civil_society')
	];
	board = await voteBoard(fac.user, [
		[a.user, 'participant'],
		[b.user, 'participant'],
		[c.user, 'participant'],
		...extra.map((p) => [p.user, 'participant'] as [typeof p.user, 'participant']),
		[obs.user, 'observer']
	]);
});

test.afterAll(async () => {
	for (const p of [fac, a, b, c, obs, ...extra]) await p?.context.close();
});

const dot = (p: Person, title: string) =>
	p.page.getByRole('button', { name: `「${title}」にドットを 1 つ置く` }).click();

test('dot voting: live progress; nothing of the tally in any page, payload, socket message or export before reveal; totals and sectors with suppression after', async () => {
	test.setTimeout(120_000);
	const sid = await openVote(fac, board, 'ドット投票', /^ドット投票/u, {
		ドットの持ち点: '3',
		'1 枚に置ける最大ドット数': '2'
	});
	for (const p of [a, b, c, obs]) await openVotePage(p, board, sid);
	// Eligible: the facilitator and seven participants; the observer is not counted.
	await expect(progress(obs)).toHaveText('8 人中 0 人が投票済み');

	await dot(a, TITLES[0]);
	await expect(a.page.getByText('残りのドット: 2 / 3')).toBeVisible();
	await dot(a, TITLES[0]);
	await dot(a, TITLES[1]);
	await expect(a.page.getByText('残りのドット: 0 / 3')).toBeVisible();
	// Pushed live to everyone else, the observer included, without a reload.
	await expect(progress(fac)).toHaveText('8 人中 1 人が投票済み');
	await expect(progress(obs)).toHaveText('8 人中 1 人が投票済み');
	// The cap: a third dot on one card is refused on the server too.
	await expect(
		a.page.getByRole('button', { name: `「${TITLES[0]}」にドットを 1 つ置く` })
	).toBeDisabled();

	await dot(b, TITLES[1]);
	await dot(b, TITLES[2]);
	await dot(c, TITLES[2]);
	await dot(c, TITLES[2]);
	const cards = await sessionCards(sid);
	for (const p of extra) {
		const r = await post(p, `/boards/${board}/votes/${sid}?/adjust`, {
			card: cards[0]!,
			delta: '1'
		});
		expect(r.status()).toBe(200);
	}
	await expect(progress(b)).toHaveText('8 人中 7 人が投票済み');
	// The live board shows the open vote and its progress too.
	const boardPage = await obs.context.newPage();
	await open(boardPage, `/boards/${board}`);
	await expect(boardPage.getByRole('link', { name: 'ドット投票' })).toBeVisible();
	await expect(boardPage.locator('.vote-banner')).toContainText('8 人中 7 人が投票済み');
	// No card shows a vote figure before reveal, for anyone: not the facilitator either.
	const facBoard = await fac.context.newPage();
	await open(facBoard, `/boards/${board}`);
	for (const page of [boardPage, facBoard]) {
		await expect(page.locator(`[data-card-id]`).first()).toBeVisible();
		await expect(page.locator('[data-card-id] .votes')).toHaveCount(0);
	}
	await facBoard.close();

	// AC-06: the observer's post is refused and changes nothing.
	const refused = await post(obs, `/boards/${board}/votes/${sid}?/adjust`, {
		card: cards[0]!,
		delta: '1'
	});
	expect(refused.status()).toBe(403);
	// Before reveal the results exist nowhere: not in exports either.
	for (const p of [fac, a, obs]) {
		const r = await p.context.request.get(
			`/boards/${board}/export?format=results-csv&session=${sid}`
		);
		expect(r.status()).toBe(404);
	}
	const record = await fac.context.request.get(`/boards/${board}/export?format=json`);
	expect((await record.json()).votes).toEqual([]);

	// Nothing any browser received before reveal carries a tally or anyone else's choice.
	for (const p of [fac, a, b, c, obs]) {
		await p.page.reload();
		await p.page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
		const seen = [...p.payloads, ...p.frames].join('\n');
		expect(p.payloads.length).toBeGreaterThan(0);
		expect(p.frames.length).toBeGreaterThan(0);
		for (const marker of TALLY_MARKERS)
			expect(seen, `${p.user.displayName}: ${marker}`).not.toContain(marker);
	}
	// The observer's data holds no ballot at all; A's only A's own dots.
	expect(obs.payloads.join('\n')).not.toMatch(/"?mine"?:\s*\{/u);

	await closeAndReveal(fac, board, sid);
	// Everyone's page shows the results once revealed, pushed live.
	await expect(a.page.getByRole('heading', { name: '結果', exact: true })).toBeVisible();
	// The open board page shows each card's figure once revealed, without a reload, with the
	// session named in its tooltip.
	const figure = (title: string) =>
		boardPage.getByRole('article', { name: title, exact: true }).locator('.votes');
	await expect(figure(TITLES[0])).toHaveText('投票結果: ドット 6 個');
	await expect(figure(TITLES[2])).toHaveText('投票結果: ドット 3 個');
	await expect(figure(TITLES[0])).toHaveAttribute('title', '公開された投票「ドット投票」の結果');
	expect(await seriousViolations(boardPage)).toEqual([]);
	await boardPage.close();
	// Dots: card 0 = 2 (A) + 4 (extras) = 6; card 2 = 1 (B) + 2 (C) = 3; card 1 = 1 + 1 = 2.
	expect((await ranking(obs.page)).slice(0, 3)).toEqual([
		['1', TITLES[0], '6'],
		['2', TITLES[2], '3'],
		['3', TITLES[1], '2']
	]);
	// Industry (4) stands alone; academia (1) and civil society (2) are merged into one group of 3.
	const sectors = obs.page.getByRole('region', { name: 'セクター別の支持率' });
	await expect(sectors.locator('thead th')).toHaveText([
		'カード',
		'産業界 4 人',
		'統合: 学術・大学・市民社会 3 人'
	]);
	await expect(sectors.getByText('学術・大学 1 人')).toHaveCount(0);
	expect(await seriousViolations(obs.page)).toEqual([]);

	// The results export: aggregates only (anonymous vote), numbers as numbers.
	const csv = await a.context.request.get(
		`/boards/${board}/export?format=results-csv&session=${sid}`
	);
	expect(csv.status()).toBe(200);
	const rows = parse(await csv.text(), { bom: true }) as string[][];
	expect(rows[0]).toContain('支持率: 産業界（4 人）(%)');
	expect(rows[1]!.slice(0, 3)).toEqual(['1', TITLES[0], '6']);
	expect(rows.flat().join()).not.toMatch(/産業 A|学術 B|市民 C/u);
});

test('ranking by Borda count, named in the results', async () => {
	test.setTimeout(90_000);
	const sid = await openVote(fac, board, '順位づけ', /^順位づけ/u, {
		'順位をつける枚数（上位 N）': '3'
	});
	const rank = async (p: Person, order: string[]) => {
		await openVotePage(p, board, sid);
		for (const [i, title] of order.entries())
			await p.page.getByLabel(`「${title}」の順位`).selectOption(`${i + 1} 位`);
		await p.page.getByRole('button', { name: '投票する', exact: true }).click();
		await expect(
			p.page.getByRole('status').filter({ hasText: '投票を記録しました' })
		).toBeVisible();
	};
	await rank(a, [TITLES[0], TITLES[1], TITLES[2]]);
	await rank(b, [TITLES[1], TITLES[0], TITLES[3]]);
	// A partial ranking: its first still gets N points.
	await rank(c, [TITLES[1], TITLES[2]]);
	// A gap (1st and 3rd, no 2nd) is refused.
	await openVotePage(c, board, sid);
	await c.page.getByLabel(`「${TITLES[4]}」の順位`).selectOption('3 位');
	await c.page.getByLabel(`「${TITLES[2]}」の順位`).selectOption('順位なし');
	await c.page.getByRole('button', { name: '投票する', exact: true }).click();
	await expect(c.page.getByRole('alert')).toContainText(
		'順位は 1 位から飛ばさずにつけてください。'
	);
	// The refused ballot keeps what was chosen.
	await expect(c.page.getByLabel(`「${TITLES[4]}」の順位`)).toHaveValue('3');

	await closeAndReveal(fac, board, sid);
	await expect(fac.page.getByText(/ボルダ得点（上位 N 位方式）/u)).toBeVisible();
	// Borda (N = 3): card1 2+3+3 = 8, card0 3+2 = 5, card2 1+2 = 3, card3 1, the rest 0.
	expect((await ranking(fac.page)).slice(0, 5)).toEqual([
		['1', TITLES[1], '8'],
		['2', TITLES[0], '5'],
		['3', TITLES[2], '3'],
		['4', TITLES[3], '1'],
		['5', TITLES[4], '0']
	]);
	// Three voters in three sectors: all merged, no sector can be told apart.
	await expect(
		fac.page.getByRole('region', { name: 'セクター別の支持率' }).locator('thead th')
	).toHaveText(['カード', '統合: 産業界・学術・大学・市民社会 3 人']);
});

test('score on impact and feasibility, shown as a 2×2 matrix with a text equivalent', async () => {
	test.setTimeout(90_000);
	const sid = await openVote(fac, board, 'スコア', /^スコア/u);
	const score = async (p: Person, marks: [string, string, string][]) => {
		await openVotePage(p, board, sid);
		for (const [title, impact, feasibility] of marks) {
			await p.page.getByLabel(`効果: ${title}`).selectOption(impact);
			await p.page.getByLabel(`実現性: ${title}`).selectOption(feasibility);
		}
		await p.page.getByRole('button', { name: '投票する', exact: true }).click();
		await expect(
			p.page.getByRole('status').filter({ hasText: '投票を記録しました' })
		).toBeVisible();
	};
	await score(a, [[TITLES[0], '5', '4']]);
	await score(b, [
		[TITLES[0], '3', '2'],
		[TITLES[3], '2', '5']
	]);
	await score(c, [[TITLES[3], '1', '5']]);
	expect(await seriousViolations(c.page)).toEqual([]);
	await closeAndReveal(fac, board, sid);
	// Card0: impact 4, feasibility 3 → 3.5; card3: impact 1.5, feasibility 5 → 3.25.
	expect((await ranking(fac.page)).slice(0, 2)).toEqual([
		['1', TITLES[0], '3.5'],
		['2', TITLES[3], '3.25']
	]);
	const matrix = fac.page.getByRole('img', { name: '効果 × 実現性のマトリクス' });
	await expect(matrix).toBeVisible();
	const figure = fac.page.locator('figure.matrix');
	await expect(figure.locator('h4', { hasText: 'すぐ着手' }).locator('+ ul')).toContainText(
		TITLES[0]
	);
	await expect(figure.locator('h4', { hasText: '手軽な改善' }).locator('+ ul')).toContainText(
		TITLES[3]
	);
	expect(await seriousViolations(fac.page)).toEqual([]);
});

test('approval, and an edited card shows "edited since you voted" until re-confirmed', async () => {
	test.setTimeout(90_000);
	const sid = await openVote(fac, board, '賛成投票', /^賛成投票/u, {}, { anonymous: false });
	const approve = async (p: Person, titles: string[]) => {
		await openVotePage(p, board, sid);
		for (const title of titles) await p.page.getByLabel(`賛成: ${title}`).check();
		await p.page.getByRole('button', { name: '投票する', exact: true }).click();
		await expect(
			p.page.getByRole('status').filter({ hasText: '投票を記録しました' })
		).toBeVisible();
	};
	await approve(a, [TITLES[0], TITLES[1]]);
	await approve(b, [TITLES[0]]);
	await approve(c, [TITLES[0], TITLES[5]]);

	// The facilitator rewords a card A voted for, on the live board.
	await open(fac.page, `/boards/${board}`);
	await expect(fac.page.getByRole('status').filter({ hasText: '接続済み' })).toBeVisible();
	await openCardDialog(fac.page.locator('article[data-card-id]', { hasText: TITLES[1] }));
	const field = fac.page.getByRole('dialog').getByLabel('タイトル', { exact: true });
	await field.focus();
	await fac.page.keyboard.press('End');
	await fac.page.keyboard.type('（改訂）');
	await expect(
		fac.page.getByRole('status').filter({ hasText: '接続済み・保存済み' })
	).toBeVisible();

	await openVotePage(a, board, sid);
	await expect(a.page.getByText('投票後にカードの文言が変わりました')).toBeVisible();
	await a.page.getByRole('button', { name: 'このままの投票で確定する' }).click();
	await expect(
		a.page.getByRole('status').filter({ hasText: '現在の文言で投票を確定しました' })
	).toBeVisible();
	await expect(a.page.getByText('投票後にカードの文言が変わりました')).toHaveCount(0);
	// B did not vote for it: nothing to confirm.
	await openVotePage(b, board, sid);
	await expect(b.page.getByText('投票後にカードの文言が変わりました')).toHaveCount(0);

	await closeAndReveal(fac, board, sid);
	expect((await ranking(fac.page)).slice(0, 2)).toEqual([
		['1', TITLES[0], '3'],
		['2', `${TITLES[1]}（改訂）`, '1']
	]);
	// An open vote: choices by name, once revealed.
	await expect(fac.page.getByRole('cell', { name: '産業 A' })).toBeVisible();
});

test('100 points, ties, and several sessions compared', async () => {
	test.setTimeout(90_000);
	const sid = await openVote(fac, board, '100 ポイント', /^100 ポイント配分/u);
	const points = async (p: Person, marks: [string, string][]) => {
		await openVotePage(p, board, sid);
		for (const [title, n] of marks)
			await p.page.getByLabel(`「${title}」に配分するポイント`).fill(n);
		await p.page.getByRole('button', { name: '投票する', exact: true }).click();
		await expect(
			p.page.getByRole('status').filter({ hasText: '投票を記録しました' })
		).toBeVisible();
	};
	await points(a, [
		[TITLES[0], '60'],
		[TITLES[3], '40']
	]);
	await points(b, [[TITLES[0], '100']]);
	// Over budget is refused by the server.
	await openVotePage(c, board, sid);
	await c.page.getByLabel(`「${TITLES[4]}」に配分するポイント`).fill('101');
	await c.page.getByRole('button', { name: '投票する', exact: true }).click();
	await expect(c.page.getByRole('alert')).toContainText('1 枚に置ける上限を超えています。');
	// What was typed stays, with the reason beside the button (a phone voter retypes nothing).
	await expect(c.page.getByLabel(`「${TITLES[4]}」に配分するポイント`)).toHaveValue('101');
	await points(c, [
		[TITLES[4], '70'],
		[TITLES[3], '30'],
		[TITLES[5], '0']
	]);
	await closeAndReveal(fac, board, sid);
	expect((await ranking(fac.page)).slice(0, 3)).toEqual([
		['1', TITLES[0], '160'],
		['2', TITLES[3], '70'],
		['2', TITLES[4], '70']
	]);

	await open(fac.page, `/boards/${board}/votes`);
	const compare = fac.page.getByRole('region', { name: '投票の比較' });
	await expect(compare.locator('thead th')).toHaveCount(5);
	await expect(compare.locator('tbody tr').first()).toContainText(TITLES[0]);
	expect(await seriousViolations(fac.page)).toEqual([]);
});

test('AC-07 50 parallel "one more dot" posts with a budget of 3 store exactly 3 dots', async () => {
	test.setTimeout(60_000);
	const sid = await openVote(fac, board, '同時投票', /^ドット投票/u, {
		ドットの持ち点: '3',
		'1 枚に置ける最大ドット数': '3'
	});
	const cards = await sessionCards(sid);
	const results = await Promise.all(
		Array.from({ length: 50 }, (_, i) =>
			post(a, `/boards/${board}/votes/${sid}?/adjust`, { card: cards[i % 3]!, delta: '1' })
		)
	);
	expect(results.filter((r) => r.status() === 200)).toHaveLength(3);
	expect(results.filter((r) => r.status() === 400)).toHaveLength(47);
	const stored = await e2eDb()
		.db.selectFrom('ballot_entries')
		.innerJoin('ballots', 'ballots.id', 'ballot_entries.ballot_id')
		.select((eb) => eb.fn.sum<number>('ballot_entries.value').as('dots'))
		.where('ballots.session_id', '=', sid)
		.executeTakeFirstOrThrow();
	expect(Number(stored.dots)).toBe(3);
	// INP-08: loose numbers and unknown fields are refused outright.
	const loose: Record<string, string>[] = [
		{ card: cards[0]!, delta: '+1' },
		{ card: cards[0]!, delta: '1', extra: 'x' },
		{ card: '../x', delta: '1' }
	];
	for (const form of loose)
		expect((await post(b, `/boards/${board}/votes/${sid}?/adjust`, form)).status()).toBe(400);
});
