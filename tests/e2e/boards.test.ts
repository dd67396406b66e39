import type { Page } from '@playwright/test';
import { seriousViolations } from './a11y';
import { E2E } from './env';
import {
	cardOn,
	createUser,
	e2eDb,
	expect,
	makeBoard,
	open,
	openBoard,
	openCardDialog,
	openCardMenu,
	signIn,
	test
} from './fixtures';

const lane = (page: Page, preset: string) => page.locator(`section[data-lane="${preset}"]`);
const card = cardOn;
const firstCardTitle = async (page: Page) =>
	(await lane(page, 'unsorted')
		.locator('article[data-card-id] .title')
		.first()
		.textContent())!.trim();

async function moveWithMenu(page: Page, title: string, laneName: string) {
	const menu = await openCardMenu(page, title);
	await menu.getByLabel(`移動先のレーン: ${title}`).selectOption({ label: laneName });
	await menu.getByRole('button', { name: `移動: ${title}` }).click();
}

test('a facilitator starts a board from one report in the UI', async ({ page, user }) => {
	await signIn(page.context(), user, E2E.baseURL);
	await open(page, '/boards/new');
	await page.getByLabel('ボード名').fill('GX 提言の優先順位');
	await page.getByLabel('1 つの報告書').check();
	await page.getByLabel('報告書', { exact: true }).selectOption('gx2040-innovation-ecosystem-2024');
	// The count answers the choice before anything is created.
	await expect(
		page.getByRole('status').filter({ hasText: '45 件をボードに載せます' })
	).toBeVisible();
	await page.getByRole('main').getByRole('button', { name: 'ボードを作成' }).click();
	await expect(page).toHaveURL(/\/boards\/[a-z2-7]{12}$/u);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('GX 提言の優先順位');
	await expect(page.getByText('あなたの役割: ファシリテーター')).toBeVisible();
	// GX2040 deck: 12 issues and 33 proposals (targets unticked by default).
	await expect(lane(page, 'unsorted').locator('article[data-card-id]')).toHaveCount(45);
	await openCardDialog(lane(page, 'unsorted').locator('article[data-card-id]').first());
	await expect(page.getByRole('dialog').locator('blockquote')).toBeVisible();
	await expect(
		page.getByRole('dialog').getByRole('link', { name: /ライブラリで見る \(gx24-/u })
	).toBeVisible();
});

test('two participants converge: move, type in the same card, add, merge', async ({
	browser,
	user
}) => {
	const a = await createUser(e2eDb().db, { displayName: '参加者 A', sector: 'industry' });
	const b = await createUser(e2eDb().db, { displayName: '参加者 B', sector: 'academia' });
	const id = await makeBoard(user, [
		[a, 'participant'],
		[b, 'participant']
	]);
	const pa = await openBoard(browser, a, id);
	const pb = await openBoard(browser, b, id);
	await expect(pa.getByRole('region', { name: '参加中' })).toContainText('参加者 B');

	const first = await firstCardTitle(pa);
	await moveWithMenu(pa, first, '最優先');
	await expect(card(lane(pb, 'top'), first)).toBeVisible();

	// Both type into the same title at once; neither loses their words.
	await openCardDialog(card(pa, first));
	await openCardDialog(card(pb, first));
	const ta = pa.getByRole('dialog').getByLabel('タイトル', { exact: true });
	const tb = pb.getByRole('dialog').getByLabel('タイトル', { exact: true });
	await ta.focus();
	await pa.keyboard.press('End');
	await pa.keyboard.type('（産業界）');
	await tb.focus();
	await pb.keyboard.press('Home');
	await pb.keyboard.type('【重要】');
	await expect(ta).toHaveValue(`【重要】${first}（産業界）`);
	await expect(tb).toHaveValue(`【重要】${first}（産業界）`);
	await expect(pb.getByRole('dialog').getByRole('heading', { level: 2 })).toHaveText(
		`【重要】${first}（産業界）`
	);
	await pa.getByRole('dialog').getByRole('button', { name: '閉じる' }).click();
	await pb.getByRole('dialog').getByRole('button', { name: '閉じる' }).click();

	await lane(pa, 'consider')
		.getByLabel(/^新しいカードの内容/u)
		.fill('地方大学の役割');
	await lane(pa, 'consider')
		.getByRole('button', { name: /^カードを追加/u })
		.click();
	await expect(card(lane(pb, 'consider'), '地方大学の役割')).toBeVisible();

	// Merge a duplicate (after a confirmation): the survivor carries both sources, everywhere.
	const second = await firstCardTitle(pb);
	await openCardDialog(card(pb, '地方大学の役割'));
	await pb.getByRole('dialog').getByLabel('統合するカード').selectOption({ label: second });
	await pb.getByRole('dialog').getByRole('button', { name: '統合', exact: true }).click();
	await pb.getByRole('dialog').getByRole('button', { name: '統合する' }).click();
	await expect(card(pa, second)).toHaveCount(0);
	await expect(card(lane(pa, 'consider'), '地方大学の役割')).toContainText('出典 1 件');
	await pa.context().close();
	await pb.context().close();
});

test('an observer sees changes live and has no way to change anything', async ({
	browser,
	user
}) => {
	const p = await createUser(e2eDb().db, { displayName: '参加者' });
	const o = await createUser(e2eDb().db, { displayName: '記者', sector: 'media' });
	const id = await makeBoard(user, [
		[p, 'participant'],
		[o, 'observer']
	]);
	const pp = await openBoard(browser, p, id);
	const po = await openBoard(browser, o, id);
	await expect(po.getByText('オブザーバーとして閲覧しています')).toBeVisible();
	await expect(po.getByRole('button', { name: /^カードを追加/u })).toHaveCount(0);
	const first = await firstCardTitle(pp);
	// The observer's card menu offers the details and nothing that moves the card.
	const menu = await openCardMenu(po, first);
	await expect(menu.getByRole('button', { name: '詳細を開く' })).toBeVisible();
	await expect(menu.getByRole('button', { name: /^移動/u })).toHaveCount(0);
	await expect(menu.getByLabel(/^移動先のレーン/u)).toHaveCount(0);
	await po.keyboard.press('Escape');
	await moveWithMenu(pp, first, '優先');
	await expect(card(lane(po, 'high'), first)).toBeVisible();
	// The observer's card dialog is read-only too.
	await openCardDialog(card(po, first));
	await expect(po.getByRole('dialog').getByLabel('タイトル', { exact: true })).toHaveCount(0);
	await pp.context().close();
	await po.context().close();
});

test('AC-04 a removed member’s open board stops syncing at once', async ({ browser, user }) => {
	const p = await createUser(e2eDb().db, { displayName: '外される人' });
	const id = await makeBoard(user, [[p, 'participant']]);
	const pf = await openBoard(browser, user, id);
	const pp = await openBoard(browser, p, id);
	await open(pf, `/boards/${id}/members`);
	await pf.getByLabel('役割: 外される人').selectOption('remove');
	await pf
		.getByRole('row', { name: /外される人/u })
		.getByRole('button', { name: '変更' })
		.click();
	await expect(pf.getByText('メンバーを外しました。')).toBeVisible();
	await expect(
		pp.getByRole('status').filter({ hasText: 'アクセス権がなくなりました' })
	).toBeVisible();
	// Whatever the removed page still does reaches no one.
	await lane(pp, 'top')
		.getByLabel(/^新しいカードの内容/u)
		.fill('外された後の書き込み');
	await lane(pp, 'top')
		.getByRole('button', { name: /^カードを追加/u })
		.click();
	await open(pf, `/boards/${id}`);
	await expect(pf.getByRole('status').filter({ hasText: '接続済み' })).toBeVisible();
	await expect(card(pf, '外された後の書き込み')).toHaveCount(0);
	const r = await pp.request.get(`/boards/${id}`, { maxRedirects: 0 });
	expect(r.status()).toBe(404);
	await pf.context().close();
	await pp.context().close();
});

/**
 * Venue Wi-Fi, simulated at the socket: the page's realtime connections go through this switch,
 * which drops them (as a network failure would, with a code the client retries on) and refuses new
 * ones while "offline". (Playwright's setOffline leaves open
 * WebSockets alone.)
 */
async function networkSwitch(page: Page) {
	let online = true;
	const open = new Set<import('@playwright/test').WebSocketRoute>();
	await page.routeWebSocket(/\/collab\//u, (ws) => {
		if (!online) {
			void ws.close({ code: 4000, reason: 'offline' }).catch(() => {});
			return;
		}
		ws.connectToServer();
		open.add(ws);
	});
	return {
		async offline() {
			online = false;
			for (const ws of open) await ws.close({ code: 4000, reason: 'offline' }).catch(() => {});
			open.clear();
		},
		online() {
			online = true;
		}
	};
}

test('an edit made offline is kept and merges on reconnect', async ({ browser, user }) => {
	const p = await createUser(e2eDb().db, { displayName: '移動中の人' });
	const id = await makeBoard(user, [[p, 'participant']]);
	const pf = await openBoard(browser, user, id);
	const context = await browser.newContext();
	await signIn(context, p, E2E.baseURL);
	const pp = await context.newPage();
	const net = await networkSwitch(pp);
	await open(pp, `/boards/${id}`);
	await expect(pp.getByRole('status').filter({ hasText: '接続済み' })).toBeVisible();

	await expect(lane(pp, 'hold').getByLabel(/^新しいカードの内容/u)).toBeVisible();
	await net.offline();
	await expect(pp.getByRole('status').filter({ hasText: 'オフライン' })).toBeVisible();
	await lane(pp, 'hold')
		.getByLabel(/^新しいカードの内容/u)
		.fill('電車の中で書いたメモ');
	await lane(pp, 'hold')
		.getByRole('button', { name: /^カードを追加/u })
		.click();
	await expect(pp.getByRole('status').filter({ hasText: '未送信 1' })).toBeVisible();
	await expect(card(pf, '電車の中で書いたメモ')).toHaveCount(0);

	net.online();
	await expect(card(lane(pf, 'hold'), '電車の中で書いたメモ')).toBeVisible({ timeout: 15_000 });
	await expect(pp.getByRole('status').filter({ hasText: '接続済み・保存済み' })).toBeVisible();
	await pf.context().close();
	await context.close();
});

test('A11Y-02 A11Y-03 cards move with the keyboard alone and focus follows the card', async ({
	browser,
	user
}) => {
	const id = await makeBoard(user);
	const page = await openBoard(browser, user, id);
	const unsorted = lane(page, 'unsorted');
	const titles = await unsorted.locator('article[data-card-id] .title').allTextContents();
	const [t0, t1] = titles.map((s) => s.trim());
	// Space picks the first card up, ↓ carries it one place down, Space puts it down.
	await card(page, t0!).locator('button.title').focus();
	await page.keyboard.press('Space');
	await page.keyboard.press('ArrowDown');
	await page.keyboard.press('Space');
	await expect(unsorted.locator('article[data-card-id] .title').nth(1)).toHaveText(t0!);
	await expect(unsorted.locator('article[data-card-id] .title').nth(0)).toHaveText(t1!);
	await expect(card(page, t0!).locator('button.title')).toBeFocused();
	await expect(
		page.getByRole('status').filter({ hasText: `「${t0}」を未分類の 2 番目に移動しました。` })
	).toHaveCount(1);
	// The move-to menu, opened and operated by keyboard.
	await card(page, t1!)
		.getByRole('button', { name: `カードの操作: ${t1}` })
		.focus();
	await page.keyboard.press('Enter');
	await page.getByLabel(`移動先のレーン: ${t1}`).focus();
	await page.getByLabel(`移動先のレーン: ${t1}`).selectOption({ label: '保留' });
	await page.keyboard.press('Tab');
	await page.keyboard.press('Enter');
	await expect(card(lane(page, 'hold'), t1!)).toBeVisible();
	await page.context().close();
});

test('A11Y-01 the board page has no serious or critical axe violations', async ({
	browser,
	user
}) => {
	const id = await makeBoard(user);
	const page = await openBoard(browser, user, id);
	expect(await seriousViolations(page)).toEqual([]);
	await openCardDialog(page.locator('article[data-card-id]').first());
	await expect(page.getByRole('dialog')).toBeVisible();
	expect(await seriousViolations(page)).toEqual([]);
	await page.context().close();
});

test('AC-01 non-members and anonymous visitors cannot open a board', async ({ page, user }) => {
	const id = await makeBoard(user);
	const other = await createUser(e2eDb().db);
	await signIn(page.context(), other, E2E.baseURL);
	const r = await page.request.get(`/boards/${id}`, { maxRedirects: 0 });
	expect(r.status()).toBe(404);
	expect(await r.text()).not.toContain('e2e ワークショップ');
	expect((await page.request.get(`/boards/${id}/members`, { maxRedirects: 0 })).status()).toBe(404);
	await page.context().clearCookies();
	const anon = await page.request.get(`/boards/${id}`, { maxRedirects: 0 });
	expect(anon.status()).toBe(303);
});

test('a board from items picked in a library search keeps their provenance', async ({
	page,
	user
}) => {
	await signIn(page.context(), user, E2E.baseURL);
	await open(page, '/library/search?q=研究セキュリティ');
	const picks = page.getByRole('checkbox', { name: /^選ぶ/u });
	await picks.nth(0).check();
	await picks.nth(1).check();
	const ids = await Promise.all([0, 1].map((i) => picks.nth(i).getAttribute('value')));
	await page.getByRole('button', { name: '選んだ項目でボードを始める' }).click();
	await expect(page).toHaveURL(/\/boards\/new\?item=/u);
	await expect(page.getByLabel('ライブラリで選んだ項目（2 件）')).toBeChecked();
	await page.getByLabel('ボード名').fill('研究セキュリティ検討会');
	await page.getByRole('main').getByRole('button', { name: 'ボードを作成' }).click();
	await expect(page).toHaveURL(/\/boards\/[a-z2-7]{12}$/u);
	const cards = lane(page, 'unsorted').locator('article[data-card-id]');
	await expect(cards).toHaveCount(2);
	await openCardDialog(cards.first());
	await expect(
		page.getByRole('dialog').getByRole('link', { name: new RegExp(`\\(${ids[0]}\\)`, 'u') })
	).toBeVisible();
});
