import type { Page } from '@playwright/test';
import { createInvite } from '../../src/lib/server/boards/invites';
import { createAction } from '../../src/lib/server/decisions/actions';
import { recordDecision } from '../../src/lib/server/decisions/decisions';
import { E2E } from './env';
import { createUser, dueIn, e2eDb, e2eSecret, expect, signIn, test } from './fixtures';
import { sidewaysProblems } from './phone-helpers';
import { TITLES, voteBoard } from './votes-helpers';

/**
 * A participant's whole workshop on a phone (the phone and phone-360 projects: 390×844 and
 * 360×740, touch): the invite link, registration, a card read and edited in its sheet, moved
 * with the "move to…" sheet, a card added from the floating button, a dot vote and a 100-point
 * vote from the board's "vote now" prompt, the revealed results, and "my actions". At every
 * screen the page must not scroll sideways (RESP-01).
 */
test('a participant takes part in a whole workshop from a phone', async ({ page, browser }) => {
	test.setTimeout(150_000);
	const db = e2eDb().db;
	const facilitator = await createUser(db, { displayName: '進行役', sector: 'government' });
	const board = await voteBoard(facilitator, []);
	const fac = await browser.newContext();
	await signIn(fac, facilitator, E2E.baseURL);
	const post = async (path: string, form: Record<string, string>, status = 200) => {
		const r = await fac.request.post(path, {
			form,
			headers: { Origin: E2E.baseURL, Accept: 'text/html' },
			maxRedirects: 0
		});
		expect(r.status(), path).toBe(status);
		return r;
	};
	// Sorting: participants may add, edit and move cards.
	await post(`/boards/${board}/facilitation?/phase`, { phase: 'sort' }, 303);
	const { token } = await createInvite(db, e2eSecret(), {
		boardId: board,
		role: 'participant',
		expiresAt: Date.now() + 3_600_000,
		maxUses: 100,
		note: '',
		by: facilitator.id,
		now: Date.now()
	});
	const fits = async (where: string) => expect(await sidewaysProblems(page), where).toEqual([]);

	// — the QR code's link, and registration in one step —
	await page.goto(`/invite/${token}`);
	await expect(page).toHaveURL(`${E2E.baseURL}/invite`);
	await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
	await fits('invite');
	const username = `phone${Date.now().toString(36)}${test.info().project.name.length}`;
	await page.locator('#username').fill(username);
	await page.locator('#display_name').fill('スマホ 参加者');
	await page.locator('#password').fill('a phone workshop passphrase');
	await page.locator('#sector').selectOption('academia');
	await page.locator('#organisation').fill('地方大学');
	await page.getByRole('button', { name: 'アカウントを作成して参加' }).click();
	await expect(page).toHaveURL(`${E2E.baseURL}/boards/${board}`);
	const me = await db
		.selectFrom('users')
		.select('id')
		.where('username', '=', username)
		.executeTakeFirstOrThrow();

	// — the board: one lane at a time, saved state and presence in view —
	await expect(page.getByRole('status').filter({ hasText: '接続済み' })).toBeVisible();
	const tabs = page.getByRole('tablist', { name: 'レーンの切り替え' });
	await expect(tabs.getByRole('tab', { name: /未分類\s*6/u })).toHaveAttribute(
		'aria-selected',
		'true'
	);
	await expect(page.getByText('参加中 1 人')).toBeVisible();
	await expect(page.locator('section[data-lane-id]')).toHaveCount(1);
	await fits('board');
	// Every control on the phone board is a finger's target (44 px high or more); card titles
	// are checked below, by what a tap on the card reaches.
	const small = await page.evaluate(() =>
		[...document.querySelectorAll('button, select, input:not([type=checkbox]), [role=tab]')]
			.filter((e) => !e.classList.contains('title'))
			.map((e) => ({ e, r: e.getBoundingClientRect() }))
			.filter(({ r }) => r.width > 0 && r.height > 0 && r.height < 43.5)
			.map(({ e, r }) => `${e.getAttribute('aria-label') ?? e.textContent?.trim()} ${r.height}`)
	);
	expect(small).toEqual([]);
	// Every card is a finger's target: its menu "⋯" is 44 × 44 px or more, and a tap anywhere
	// else on the card (at least 44 px high) lands on its title, which opens it.
	const tiles = page.locator('article[data-card-id]');
	expect(await tiles.count()).toBeGreaterThan(0);
	for (const tile of await tiles.all()) {
		await tile.scrollIntoViewIfNeeded();
		const menu = (await tile.locator('button.menu-button').boundingBox())!;
		expect(Math.min(menu.width, menu.height)).toBeGreaterThanOrEqual(44);
		const r = (await tile.boundingBox())!;
		expect(r.height).toBeGreaterThanOrEqual(44);
		const hit = await page.evaluate(
			([x, y]) => document.elementFromPoint(x!, y!)?.closest('button')?.className ?? '',
			[r.x + 6, r.y + r.height - 6]
		);
		expect(hit).toContain('title');
	}

	// — a card's sheet: read its source, edit its note, comment —
	const card = page.locator('article[data-card-id]', { hasText: TITLES[0] });
	await card.locator('button.title').click();
	const sheet = page.getByRole('dialog', { name: TITLES[0] });
	await expect(sheet).toBeVisible();
	const box = (await sheet.boundingBox())!;
	const screen = page.viewportSize()!;
	expect(Math.round(box.x)).toBe(0);
	expect(Math.round(box.width)).toBe(screen.width);
	await expect(sheet.locator('blockquote').first()).not.toBeEmpty();
	await expect(sheet.getByRole('link', { name: /ライブラリで見る/u })).toBeVisible();
	await sheet.getByLabel('メモ').fill('地域の中小企業も使える形で。');
	await sheet
		.getByRole('textbox', { name: 'コメント', exact: true })
		.fill('大学の立場からも賛成です');
	await sheet.getByRole('button', { name: 'コメントする' }).click();
	await expect(sheet.getByText('大学の立場からも賛成です')).toBeVisible();
	await fits('card sheet');

	// — "move to…": the card goes to 最優先 —
	await sheet.getByRole('button', { name: /^移動…/u }).click();
	const move = page.getByRole('dialog', { name: `「${TITLES[0]}」の移動先` });
	await expect(move).toBeVisible();
	await fits('move sheet');
	await move.getByRole('button', { name: /^最優先/u }).click();
	await expect(move).toBeHidden();
	await expect(sheet.getByText('レーン: 最優先')).toBeVisible();
	await sheet.getByRole('button', { name: '閉じる' }).first().click();
	await expect(tabs.getByRole('tab', { name: /未分類\s*5/u })).toBeVisible();
	await tabs.getByRole('tab', { name: /最優先\s*1/u }).click();
	await expect(page.locator('article[data-card-id]')).toHaveText([new RegExp(TITLES[0], 'u')]);

	// — a new card, one tap away, into the lane on screen —
	await page.getByRole('button', { name: '＋ カードを追加', exact: true }).click();
	const add = page.getByRole('dialog', { name: 'カードを追加' });
	await add.getByLabel('新しいカードの内容').fill('地域の大学に窓口を置く');
	await expect(add.getByLabel('追加するレーン')).toHaveValue(
		(await tabs.getByRole('tab', { selected: true }).getAttribute('data-tab'))!
	);
	await add.getByRole('button', { name: 'カードを追加' }).click();
	await expect(add.getByRole('status')).toHaveText('1 枚追加しました。続けて書けます。');
	await add.getByRole('button', { name: '閉じる' }).click();
	await expect(page.getByRole('status').filter({ hasText: '接続済み・保存済み' })).toBeVisible();
	// Kept on the server: after a reload the lane still holds both cards.
	await page.reload();
	await expect(page.getByRole('status').filter({ hasText: '接続済み' })).toBeVisible();
	await tabs.getByRole('tab', { name: /最優先\s*2/u }).click();
	await expect(
		page.locator('article[data-card-id]', { hasText: '地域の大学に窓口を置く' })
	).toBeVisible();

	// — a dot vote, from the board's "vote now" prompt —
	const opened = await post(
		`/boards/${board}/votes?/open`,
		{ title: 'ドット投票', method: 'dots', scope: 'all', anonymous: 'on', budget: '3', cap: '2' },
		303
	);
	const dots = /\/votes\/(\d+)$/u.exec(opened.headers().location ?? '')![1];
	await voteNow(page, 'ドット投票');
	await expect(page).toHaveURL(`${E2E.baseURL}/boards/${board}/votes/${dots}`);
	const plus = page.getByRole('button', { name: `「${TITLES[1]}」にドットを 1 つ置く` });
	const target = (await plus.boundingBox())!;
	expect(target.width).toBeGreaterThanOrEqual(44);
	expect(target.height).toBeGreaterThanOrEqual(44);
	expect(target.x + target.width).toBeLessThanOrEqual(screen.width);
	await plus.tap();
	await expect(page.getByText('残りのドット: 2 / 3')).toBeVisible();
	await plus.tap();
	await expect(page.getByText('残りのドット: 1 / 3')).toBeVisible();
	// The card's note and source open from the ballot.
	const line = page.locator('li[data-card-id]', { hasText: TITLES[0] });
	await line.getByText('メモと出典').tap();
	await expect(line.getByText('地域の中小企業も使える形で。')).toBeVisible();
	await expect(line.locator('blockquote')).toBeVisible();
	await fits('dot ballot');
	await post(`/boards/${board}/votes/${dots}?/close`, {});
	await post(`/boards/${board}/votes/${dots}?/reveal`, {});

	// — a 100-point vote: a refused ballot keeps what was typed —
	const opened2 = await post(
		`/boards/${board}/votes?/open`,
		{ title: '100 点の配分', method: 'points', scope: 'all', anonymous: 'on', total: '100' },
		303
	);
	const points = /\/votes\/(\d+)$/u.exec(opened2.headers().location ?? '')![1];
	await page.goto(`/boards/${board}`);
	await voteNow(page, '100 点の配分');
	await expect(page).toHaveURL(`${E2E.baseURL}/boards/${board}/votes/${points}`);
	await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
	const field = (title: string) => page.getByLabel(`「${title}」に配分するポイント`);
	await field(TITLES[0]).fill('90');
	await field(TITLES[3]).fill('30');
	await expect(page.getByText('20 ポイント多すぎます（持ち点 100）')).toBeVisible();
	// The running budget stays on screen while the ballot scrolls.
	await page.getByRole('button', { name: '投票する', exact: true }).scrollIntoViewIfNeeded();
	const budget = (await page.getByText('20 ポイント多すぎます（持ち点 100）').boundingBox())!;
	expect(budget.y).toBeGreaterThanOrEqual(-1);
	expect(budget.y).toBeLessThan(screen.height);
	await page.getByRole('button', { name: '投票する', exact: true }).click();
	await expect(page.getByRole('alert')).toContainText('持ち点を超えています。');
	await expect(page.getByRole('alert')).toContainText('入力した内容はそのまま残っています');
	await expect(field(TITLES[0])).toHaveValue('90');
	await expect(field(TITLES[3])).toHaveValue('30');
	await field(TITLES[3]).fill('10');
	await page.getByRole('button', { name: '投票する', exact: true }).click();
	await expect(page.getByRole('status').filter({ hasText: '投票を記録しました' })).toBeVisible();
	await fits('points ballot');
	await post(`/boards/${board}/votes/${points}?/close`, {});
	await post(`/boards/${board}/votes/${points}?/reveal`, {});

	// — the revealed results, readable without zooming —
	await page.goto(`/boards/${board}/votes/${points}`);
	await expect(page.getByRole('heading', { name: '結果', exact: true })).toBeVisible();
	const first = page.locator('table.results tbody tr').first();
	await expect(first).toContainText(TITLES[0]);
	await expect(first).toContainText('90');
	await fits('results');

	// — "my actions": an action the facilitator gave this participant —
	const actor = { id: facilitator.id, name: facilitator.displayName };
	const d = await recordDecision(
		db,
		board,
		null,
		{ text: '窓口を置く', rationale: '', dissent: [], cards: [], vote: null },
		actor,
		Date.now()
	);
	if (!d.ok) throw new Error(d.error);
	const a = await createAction(
		db,
		board,
		d.id,
		{
			title: '大学の窓口を試行する',
			owner: { kind: 'member', userId: me.id },
			due: dueIn(150),
			notes: ''
		},
		actor,
		Date.now()
	);
	if (!a.ok) throw new Error(a.error);
	await page.getByRole('link', { name: 'わたしのアクション' }).click();
	await expect(page).toHaveURL(`${E2E.baseURL}/actions`);
	await expect(page.getByRole('heading', { name: '大学の窓口を試行する' })).toBeVisible();
	await fits('my actions');
	await fac.close();
});

/** Follows the board's "vote now" prompt for the vote called `title`. */
async function voteNow(page: Page, title: string) {
	const prompt = page.locator('.vote-banner', { hasText: title });
	await expect(prompt).toContainText('投票受付中');
	await prompt.getByRole('link', { name: /今すぐ投票する/u }).tap();
}
