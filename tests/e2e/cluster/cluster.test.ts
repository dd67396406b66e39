import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page, type WebSocket as PwSocket } from '@playwright/test';
import { CLUSTER } from './harness';
import { SESSION_COOKIE } from '../session-cookie';
import { ownerPort } from './writers';

/**
 * Issue 15 through a real nginx (round robin) in front of three Yoriai processes on one
 * PostgreSQL database (harness.ts). Every page, form and socket goes through nginx, so requests
 * and sockets of one person land on different processes and board sockets are relayed to the
 * board's owner.
 */
const PASSWORD = 'yoriai no kumo ni noru';

/** Which process served each finished socket to `/collab/<boardId>` (nginx's access log). */
function socketUpstreams(boardId: string): string[] {
	return readFileSync(join(CLUSTER.dir, 'nginx-access.log'), 'utf8')
		.split('\n')
		.filter((l) => l.includes(`/collab/${boardId}`))
		.map((l) => l.split(' ')[3] ?? '');
}

async function hydrated(page: Page, path: string): Promise<void> {
	await page.goto(path);
	await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
}

/** The board page's realtime sockets as the browser sees them. */
function watchSockets(page: Page): PwSocket[] {
	const sockets: PwSocket[] = [];
	page.on('websocket', (ws) => {
		if (ws.url().includes('/collab/')) sockets.push(ws);
	});
	return sockets;
}

const connected = (page: Page) => page.getByRole('status').filter({ hasText: '接続済み' });

let username = '';
let boardUrl = '';

test('a signed-in journey through nginx: register, create a board, two contexts co-edit a card', async ({
	browser
}) => {
	username = `kumo${Date.now().toString(36)}`;
	const a = await browser.newContext();
	const pa = await a.newPage();
	await hydrated(pa, '/register');
	await pa.locator('#username').fill(username);
	await pa.locator('#display_name').fill('雲井 花子');
	await pa.locator('#password').fill(PASSWORD);
	await pa.locator('#sector').selectOption('government');
	await pa.locator('#organisation').fill('内閣府');
	await pa.locator('#register-submit, form button[type=submit]').last().click();
	await expect(pa).toHaveURL('/');
	await expect(pa.getByRole('link', { name: '雲井 花子' })).toBeVisible();

	await hydrated(pa, '/boards/new');
	await pa.getByLabel('ボード名').fill('複数プロセスの検証');
	await pa.getByLabel('1 つの報告書').check();
	await pa.getByLabel('報告書', { exact: true }).selectOption('gx2040-innovation-ecosystem-2024');
	await pa.getByRole('main').getByRole('button', { name: 'ボードを作成' }).click();
	await expect(pa).toHaveURL(/\/boards\/[a-z2-7]{12}$/u);
	boardUrl = new URL(pa.url()).pathname;
	await expect(connected(pa)).toBeVisible();

	// The same person in a second browser, signed in through the form (another session).
	const b = await browser.newContext();
	const pb = await b.newPage();
	await hydrated(pb, '/login');
	await pb.getByLabel('ユーザー名').fill(username);
	await pb.getByLabel('パスワード').fill(PASSWORD);
	await pb.getByRole('button', { name: 'ログイン' }).click();
	await expect(pb.getByRole('link', { name: '雲井 花子' })).toBeVisible();
	await hydrated(pb, boardUrl);
	await expect(connected(pb)).toBeVisible();

	const card = (p: Page) =>
		p.locator('section[data-lane="unsorted"] article[data-card-id]').first();
	const title = (await card(pa).locator('.title').textContent())!.trim();
	await card(pa).locator('button.title').click();
	await pb.locator('article[data-card-id]', { hasText: title }).locator('button.title').click();
	const ta = pa.getByRole('dialog').getByLabel('タイトル', { exact: true });
	const tb = pb.getByRole('dialog').getByLabel('タイトル', { exact: true });
	await ta.focus();
	await pa.keyboard.press('End');
	await pa.keyboard.type('（東京）');
	await tb.focus();
	await pb.keyboard.press('Home');
	await pb.keyboard.type('【共有】');
	await expect(ta).toHaveValue(`【共有】${title}（東京）`);
	await expect(tb).toHaveValue(`【共有】${title}（東京）`);
	expect(await ownerPort(boardUrl.split('/')[2]!)).not.toBeNull();
	await a.close();
	await b.close();
	// Round robin spreads the sockets; say where they landed (a line is written when one closes).
	await expect
		.poll(() => socketUpstreams(boardUrl.split('/')[2]!).length)
		.toBeGreaterThanOrEqual(2);
	const via = socketUpstreams(boardUrl.split('/')[2]!).join(', ');
	console.info(`co-editing sockets served via ${via}`);
	test.info().annotations.push({ type: 'sockets via', description: via });
});

test("logout on one process closes that session's board socket held by another within 1 s", async ({
	browser
}) => {
	// Builds on the first test's board (one worker, in order): without it this test fails, it
	// does not quietly skip.
	expect(boardUrl, 'the board of the first test').not.toBe('');
	const boardId = boardUrl.split('/')[2]!;
	const context = await browser.newContext();
	const page = await context.newPage();
	await hydrated(page, '/login');
	await page.getByLabel('ユーザー名').fill(username);
	await page.getByLabel('パスワード').fill(PASSWORD);
	await page.getByRole('button', { name: 'ログイン' }).click();
	await expect(page.getByRole('link', { name: '雲井 花子' })).toBeVisible();
	const sockets = watchSockets(page);
	await hydrated(page, boardUrl);
	await expect(connected(page)).toBeVisible();
	expect(sockets).toHaveLength(1);
	let closedAt = 0;
	sockets[0]!.on('close', () => (closedAt = Date.now()));

	// Sign out on a process that is not the board's owner, so the owner only learns it from the
	// event other processes announce (LISTEN/NOTIFY). Straight to that process, as nginx would.
	const owner = await ownerPort(boardId);
	expect(owner).not.toBeNull();
	const other = CLUSTER.processPorts.find((p) => p !== owner)!;
	const token = (await context.cookies()).find((c) => c.name === SESSION_COOKIE)!.value;
	expect(closedAt, 'the socket was still open before the logout').toBe(0);
	const started = Date.now();
	const res = await fetch(`http://127.0.0.1:${other}/logout`, {
		method: 'POST',
		redirect: 'manual',
		headers: {
			Cookie: `${SESSION_COOKIE}=${token}`,
			Origin: CLUSTER.baseURL,
			'Content-Type': 'application/x-www-form-urlencoded',
			Accept: 'text/html'
		},
		body: ''
	});
	expect(res.status).toBe(303);
	await expect.poll(() => closedAt, { timeout: 3_000, intervals: [20] }).toBeGreaterThan(0);
	const ms = closedAt - started;
	console.info(`logout on ${other} (owner ${owner}): socket closed after ${ms} ms`);
	test.info().annotations.push({ type: 'logout → socket closed', description: `${ms} ms` });
	expect(ms).toBeGreaterThanOrEqual(0);
	expect(ms).toBeLessThanOrEqual(1_000);
	// The session is over everywhere: the page does not come back as connected.
	await page.waitForTimeout(1_000);
	await expect(connected(page)).toHaveCount(0);
	await context.close();
});
