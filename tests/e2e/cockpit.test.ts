import type { Page } from '@playwright/test';
import { seriousViolations } from './a11y';
import { createUser, e2eDb, expect, makeBoard, open, openBoard, test } from './fixtures';
import { openVote, person, TITLES, voteBoard } from './votes-helpers';

/**
 * The facilitator's cockpit: people count as here on every page of the board (not only the
 * board itself, which is all the realtime presence sees), private drafts are counted per person
 * as they are written, and the reveal button says how many it will put on the board.
 */

const cockpit = (page: Page) => page.getByTestId('cockpit');

async function setPhase(page: Page, label: string) {
	await page.getByLabel('フェーズ', { exact: true }).selectOption({ label });
	await page.getByRole('button', { name: 'フェーズを切り替え' }).click();
	await expect(page.getByText(`フェーズ: ${label}`)).toBeVisible();
}

test('the cockpit counts people on the vote page, the decisions page and the board, by sector and by page', async ({
	browser
}) => {
	// Four people in four browsers, each opening pages: 30 s on a busy two-core machine.
	test.slow();
	const fac = await person(browser, '司会', 'government');
	const a = await person(browser, '産業 A', 'industry');
	const b = await person(browser, '学術 B', 'academia');
	const c = await person(browser, '市民 C', 'civil_society');
	const board = await voteBoard(fac.user, [
		[a.user, 'participant'],
		[b.user, 'participant'],
		[c.user, 'participant']
	]);
	const sid = await openVote(fac, board, 'ドット投票', /^ドット投票/u, { ドットの持ち点: '3' });
	// A and B on the vote page (a ballot to fill in), C reading decisions; nobody else on the board.
	await open(a.page, `/boards/${board}/votes/${sid}`);
	await open(b.page, `/boards/${board}/votes/${sid}`);
	await open(c.page, `/boards/${board}/decisions`);
	await open(fac.page, `/boards/${board}`);
	const panel = cockpit(fac.page);
	await expect(panel.getByTestId('cockpit-present')).toHaveText(
		'参加中 4 人: 産業界 1、学術・大学 1、行政 1、市民社会 1'
	);
	await expect(panel.getByTestId('cockpit-places')).toContainText('投票中 2');
	await expect(panel.getByTestId('cockpit-places')).toContainText('決定 1');
	await expect(panel.getByTestId('cockpit-places')).toContainText('ボード 1');
	await expect(panel.getByTestId('cockpit-vote')).toContainText('3 人中 0 人が投票済み');
	await expect(panel.getByTestId('cockpit-vote')).toContainText('産業 A');

	// A votes: the cockpit follows without a reload.
	await a.page.getByRole('button', { name: `「${TITLES[0]}」にドットを 1 つ置く` }).click();
	await expect(panel.getByTestId('cockpit-vote')).toContainText('3 人中 1 人が投票済み');
	await expect(panel.getByTestId('cockpit-vote')).not.toContainText('産業 A');
	expect(await seriousViolations(fac.page)).toEqual([]);

	// The cockpit is on the vote page too, for the facilitator only.
	await open(fac.page, `/boards/${board}/votes/${sid}`);
	await expect(cockpit(fac.page).getByTestId('cockpit-present')).toContainText('参加中 4 人');
	await expect(cockpit(a.page)).toHaveCount(0);
	// Participants get no cockpit data from the ping either.
	const ping = await a.context.request.get(`/boards/${board}/cockpit?place=ballot`);
	expect(ping.status()).toBe(204);
	const bad = await a.context.request.get(`/boards/${board}/cockpit?place=anywhere`);
	expect(bad.status()).toBe(400);
	for (const p of [fac, a, b, c]) await p.context.close();
});

test('private drafts are counted per person live, and the reveal button says how many', async ({
	browser,
	user
}) => {
	const w1 = await createUser(e2eDb().db, { displayName: '書く人 1' });
	const w2 = await createUser(e2eDb().db, { displayName: '書く人 2' });
	const id = await makeBoard(user, [
		[w1, 'participant'],
		[w2, 'participant']
	]);
	const fac = await openBoard(browser, user, id);
	await setPhase(fac, '個人で書く');
	const p1 = await openBoard(browser, w1, id);
	const p2 = await openBoard(browser, w2, id);
	const draft = async (page: Page, title: string) => {
		await page.getByLabel('タイトル', { exact: true }).fill(title);
		await page.getByRole('button', { name: '下書きを追加' }).click();
		await expect(page.getByRole('region', { name: /あなたの下書き/u })).toContainText(title);
	};
	await draft(p1, '案 1');
	await draft(p1, '案 2');
	await draft(p1, '案 3');
	await draft(p2, '案 4');
	const panel = cockpit(fac);
	// No reload on the facilitator's side: the count arrives by itself.
	await expect(panel.getByTestId('cockpit-drafts')).toHaveText('未公開の下書き 4 件（2 人）');
	await expect(panel).toContainText('書く人 1 3 件');
	await expect(panel).toContainText('書く人 2 1 件');
	await expect(fac.getByRole('button', { name: '下書きを公開する（4 件・2 人）' })).toBeVisible();
	// The cockpit carries counts and names, never what a draft says.
	const data = await fac.request.get(`/boards/${id}/cockpit?place=board`);
	expect(await data.text()).not.toContain('案 1');

	await fac.getByRole('button', { name: '下書きを公開する（4 件・2 人）' }).click();
	await expect(panel).toContainText('未公開の下書きはありません。');
	await expect(p2.locator('article[data-card-id]', { hasText: '案 1' })).toBeVisible();
	for (const p of [fac, p1, p2]) await p.context().close();
});

test('one click moves the room to the next phase and starts a timer everyone sees', async ({
	browser,
	user
}) => {
	const p = await createUser(e2eDb().db);
	const id = await makeBoard(user, [[p, 'participant']]);
	const fac = await openBoard(browser, user, id);
	const part = await openBoard(browser, p, id);
	await cockpit(fac).getByRole('button', { name: '次のフェーズへ: グループ化' }).click();
	await expect(part.getByText('フェーズ: グループ化')).toBeVisible();
	await cockpit(fac).getByRole('button', { name: 'タイマー 5 分を開始' }).click();
	await expect(part.getByRole('timer')).toHaveText(/残り (4:5\d|5:00)/u);
	await expect(cockpit(fac).getByRole('button', { name: '次のフェーズへ: 投票' })).toBeVisible();
	for (const c of [fac.context(), part.context()]) await c.close();
});
