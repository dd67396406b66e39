import type { Page, WebSocketRoute } from '@playwright/test';
import { E2E } from './env';
import {
	cardOn,
	createUser,
	e2eDb,
	expect,
	makeBoard,
	open,
	openBoard,
	signIn,
	test
} from './fixtures';

/** Cuts a page's realtime socket and keeps it cut until `online()`. */
async function networkSwitch(page: Page) {
	let online = true;
	const sockets = new Set<WebSocketRoute>();
	await page.routeWebSocket(/\/collab\//u, (ws) => {
		if (!online) return void ws.close({ code: 4000, reason: 'offline' }).catch(() => {});
		ws.connectToServer();
		sockets.add(ws);
	});
	return {
		async offline() {
			online = false;
			for (const ws of sockets) await ws.close({ code: 4000, reason: 'offline' }).catch(() => {});
			sockets.clear();
		},
		online() {
			online = true;
		}
	};
}

test('AC-01 a stale tab whose change the server refuses is told, shows the board as stored and keeps working', async ({
	browser,
	user
}) => {
	const p = await createUser(e2eDb().db, { displayName: '遅れた人' });
	const id = await makeBoard(user, [[p, 'participant']]);
	const fac = await openBoard(browser, user, id);
	const context = await browser.newContext();
	await signIn(context, p, E2E.baseURL);
	const pp = await context.newPage();
	const net = await networkSwitch(pp);
	await open(pp, `/boards/${id}`);
	await expect(pp.getByRole('status').filter({ hasText: '接続済み' })).toBeVisible();
	// Synced, not only connected: before its first sync a tab shows the server's outline.
	await expect(pp.locator('[data-live="true"]')).toHaveCount(1);
	const hold = (page: Page) => page.locator('section[data-lane="hold"]');

	// Offline, the tab still shows the sorting phase and adds a card…
	await net.offline();
	await expect(pp.getByRole('status').filter({ hasText: 'オフライン' })).toBeVisible();
	await hold(pp)
		.getByLabel(/^新しいカードの内容/u)
		.fill('投票前の思いつき');
	await hold(pp)
		.getByRole('button', { name: /^カードを追加/u })
		.click();
	await expect(cardOn(pp, '投票前の思いつき')).toBeVisible();
	// …while the facilitator moves the board to voting, where no cards are added.
	await fac.getByLabel('フェーズ', { exact: true }).selectOption({ label: '投票' });
	await fac.getByRole('button', { name: 'フェーズを切り替え' }).click();
	await expect(fac.getByText('フェーズ: 投票')).toBeVisible();

	net.online();
	await expect(
		pp.getByRole('alert').filter({ hasText: 'フェーズまたはロックが変わりました' })
	).toBeVisible({ timeout: 15_000 });
	await expect(cardOn(pp, '投票前の思いつき')).toHaveCount(0);
	await expect(pp.getByRole('status').filter({ hasText: '接続済み・保存済み' })).toBeVisible();
	await expect(cardOn(fac, '投票前の思いつき')).toHaveCount(0);
	// The refused card does not come back from this browser's own copy either.
	await pp.reload();
	await expect(pp.getByRole('status').filter({ hasText: '接続済み' })).toBeVisible();
	await expect(cardOn(pp, '投票前の思いつき')).toHaveCount(0);
	// And the board is live for it: a card the facilitator adds now shows up.
	await hold(fac)
		.getByLabel(/^新しいカードの内容/u)
		.fill('司会の追加');
	await hold(fac)
		.getByRole('button', { name: /^カードを追加/u })
		.click();
	await expect(cardOn(pp, '司会の追加')).toBeVisible();
	await fac.context().close();
	await context.close();
});
