import type { Page } from '@playwright/test';
import { createInvite } from '../../src/lib/server/boards/invites';
import { seriousViolations } from './a11y';
import { E2E } from './env';
import { createUser, e2eDb, e2eSecret, expect, makeBoard, open, signIn, test } from './fixtures';

async function createLink(
	page: Page,
	boardId: string,
	role: string,
	maxUses = '60',
	texts: { note?: string; welcome?: string } = {}
) {
	await open(page, `/boards/${boardId}/invites`);
	await page.getByLabel('役割').selectOption(role);
	await page.getByLabel('利用できる人数（上限）').fill(maxUses);
	if (texts.note) await page.getByLabel('ファシリテーター用メモ（任意）').fill(texts.note);
	if (texts.welcome)
		await page.getByLabel('招待された人へのメッセージ（任意）').fill(texts.welcome);
	await page.getByRole('button', { name: '招待リンクを作成' }).click();
	await expect(page.getByText('招待リンクを作成しました。')).toBeVisible();
	const created = page.locator('li.created');
	await expect(created.getByRole('img', { name: '招待リンクの QR コード' })).toBeVisible();
	return created.getByLabel('招待リンク', { exact: true }).inputValue();
}

test('INV-03 INV-06 a brand-new person registers through a link and lands on the board as a participant', async ({
	page,
	browser,
	user
}) => {
	const id = await makeBoard(user);
	await signIn(page.context(), user, E2E.baseURL);
	const link = await createLink(page, id, 'participant');
	expect(link).toMatch(new RegExp(`^${E2E.baseURL}/invite/[a-z2-7]{32}$`, 'u'));
	expect(await seriousViolations(page)).toEqual([]);

	const guest = await (await browser.newContext()).newPage();
	const referers: string[] = [];
	guest.on('request', (r) => {
		const ref = r.headers().referer;
		if (ref) referers.push(ref);
	});
	const opened = await guest.request.get(link, { maxRedirects: 0 });
	expect(opened.status()).toBe(303);
	expect(opened.headers()['referrer-policy']).toBe('no-referrer');
	await guest.goto(link);
	// The token leaves the address bar at once.
	await expect(guest).toHaveURL(`${E2E.baseURL}/invite`);
	await expect(guest.getByRole('heading', { level: 1 })).toHaveText(
		'e2e ワークショップ に招待されています'
	);
	// Opening twice uses no place (GET changes nothing).
	await guest.goto(link);
	const [row] = await e2eDb()
		.db.selectFrom('board_invites')
		.select('uses')
		.where('board_id', '=', id)
		.execute();
	expect(row?.uses).toBe(0);

	const username = `guest${Date.now().toString(36)}`;
	await guest.locator('html[data-hydrated]').waitFor({ state: 'attached' });
	await guest.locator('#username').fill(username);
	await guest.locator('#display_name').fill('鈴木 次郎');
	await guest.locator('#password').fill('a fresh workshop passphrase');
	await guest.locator('#sector').selectOption('civil_society');
	await guest.locator('#organisation').fill('NPO 法人まちづくり');
	await guest.getByRole('button', { name: 'アカウントを作成して参加' }).click();
	await expect(guest).toHaveURL(`${E2E.baseURL}/boards/${id}`);
	await expect(guest.getByText('あなたの役割: 参加者')).toBeVisible();
	expect(referers.some((r) => r.includes('/invite/'))).toBe(false);

	await open(page, `/boards/${id}/invites`);
	await expect(page.getByText('1 / 60 人が利用')).toBeVisible();
	await expect(page.getByText('参加した人: 鈴木 次郎')).toBeVisible();
	// The board's audit log records the join like any other membership change.
	await open(page, `/boards/${id}/audit`);
	const joined = page.getByRole('row').filter({ hasText: 'メンバーを追加' });
	await expect(joined).toContainText('鈴木 次郎');
	await expect(joined).toContainText('招待リンクから参加者として参加');
	await guest.context().close();
});

test('an observer link gives read-only access to a signed-in person', async ({
	page,
	browser,
	user
}) => {
	const id = await makeBoard(user);
	await signIn(page.context(), user, E2E.baseURL);
	const link = await createLink(page, id, 'observer');
	const watcher = await createUser(e2eDb().db, { displayName: '傍聴者' });
	const context = await browser.newContext();
	await signIn(context, watcher, E2E.baseURL);
	const w = await context.newPage();
	await w.goto(link);
	await w.getByRole('button', { name: 'このボードに参加する' }).click();
	await expect(w).toHaveURL(`${E2E.baseURL}/boards/${id}`);
	await expect(w.getByText('オブザーバーとして閲覧しています')).toBeVisible();
	await expect(w.getByRole('button', { name: /^カードを追加/u })).toHaveCount(0);
	await context.close();
});

test('INV-02 expired, withdrawn, used-up and malformed links get a clear page', async ({
	page,
	browser,
	user
}) => {
	const id = await makeBoard(user);
	const db = e2eDb().db;
	const now = Date.now();
	const expired = await createInvite(db, e2eSecret(), {
		boardId: id,
		role: 'participant',
		expiresAt: now - 1,
		maxUses: 5,
		note: '',
		by: user.id,
		now
	});
	const full = await createInvite(db, e2eSecret(), {
		boardId: id,
		role: 'participant',
		expiresAt: now + 3600_000,
		maxUses: 1,
		note: '',
		by: user.id,
		now
	});
	await db.updateTable('board_invites').set({ uses: 1 }).where('id', '=', full.id).execute();

	await signIn(page.context(), user, E2E.baseURL);
	await createLink(page, id, 'participant');
	await page.getByRole('button', { name: '取り消す' }).first().click();
	await expect(page.getByText('招待リンクを取り消しました。')).toBeVisible();
	const [withdrawn] = await db
		.selectFrom('board_invites')
		.select('id')
		.where('board_id', '=', id)
		.where('revoked_at', 'is not', null)
		.execute();
	expect(withdrawn).toBeTruthy();

	const guest = await (await browser.newContext()).newPage();
	const cases: [string, number, string][] = [
		[`/invite/${expired.token}`, 410, '有効期限が切れています'],
		[`/invite/${full.token}`, 410, '利用上限に達しました'],
		['/invite/not-a-token', 404, 'この招待リンクは無効です'],
		[`/invite/${'a'.repeat(32)}`, 404, 'この招待リンクは無効です'],
		[`/invite/${expired.token}?role=facilitator`, 410, '有効期限が切れています']
	];
	for (const [path, status, text] of cases) {
		const r = await guest.goto(path);
		expect(r?.status(), path).toBe(status);
		await expect(guest.getByRole('main')).toContainText(text);
		await expect(guest.getByRole('main')).not.toContainText('at ');
	}
	const r = await guest.goto('/invite');
	expect(r?.status()).toBe(400);
	await guest.context().close();
});

test('INV-03 joining is a same-origin POST', async ({ user }) => {
	const id = await makeBoard(user);
	const { token } = await createInvite(e2eDb().db, e2eSecret(), {
		boardId: id,
		role: 'participant',
		expiresAt: Date.now() + 3600_000,
		maxUses: 5,
		note: '',
		by: user.id,
		now: Date.now()
	});
	const { request } = await import('@playwright/test');
	const evil = await request.newContext({
		baseURL: E2E.baseURL,
		extraHTTPHeaders: { Accept: 'text/html' }
	});
	await evil.get(`/invite/${token}`, { maxRedirects: 0 });
	const r = await evil.post('/invite?/join', {
		headers: { Origin: 'https://evil.example' },
		form: {},
		maxRedirects: 0
	});
	expect(r.status()).toBe(403);
	const [row] = await e2eDb()
		.db.selectFrom('board_invites')
		.select('uses')
		.where('board_id', '=', id)
		.execute();
	expect(row?.uses).toBe(0);
});

test('INV-01 every active link and its QR code are shown again after another is made; copy and full screen', async ({
	page,
	browser,
	user
}) => {
	const id = await makeBoard(user);
	await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
	await signIn(page.context(), user, E2E.baseURL);
	const first = await createLink(page, id, 'participant', '30', {
		note: '大阪会場の分（内部メモ）',
		welcome: 'ようこそ。付箋は自由に書いてください。'
	});
	const second = await createLink(page, id, 'observer', '5');
	expect(second).not.toBe(first);

	// A fresh visit lists both links, each with its QR code, role, uses and expiry.
	await open(page, `/boards/${id}/invites`);
	const items = page.locator('li[data-invite]');
	await expect(items).toHaveCount(2);
	const firstItem = items.filter({ hasText: '大阪会場の分' });
	await expect(firstItem.getByLabel('招待リンク', { exact: true })).toHaveValue(first);
	await expect(firstItem.getByRole('img', { name: '招待リンクの QR コード' })).toBeVisible();
	await expect(firstItem).toContainText('参加者');
	await expect(firstItem).toContainText('0 / 30 人が利用');
	const secondItem = items.filter({ hasText: 'オブザーバー' });
	await expect(secondItem.getByLabel('招待リンク', { exact: true })).toHaveValue(second);

	await firstItem.getByRole('button', { name: 'リンクをコピー' }).click();
	await expect(firstItem.getByRole('status')).toHaveText('コピーしました');
	expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(first);

	await firstItem.getByRole('button', { name: '全画面で表示' }).click();
	const large = page.getByRole('dialog', { name: '招待リンクの QR コード' });
	await expect(large.getByRole('img')).toBeVisible();
	await expect(large).toContainText(first);
	expect(await seriousViolations(page)).toEqual([]);
	await large.getByRole('button', { name: '閉じる' }).click();
	await expect(large).toBeHidden();

	// The invited person reads the welcome message, never the facilitator's note.
	const guest = await (await browser.newContext()).newPage();
	const bodies: string[] = [];
	guest.on('response', async (r) => {
		if (r.url().startsWith(E2E.baseURL)) bodies.push(await r.text().catch(() => ''));
	});
	await guest.goto(first);
	await expect(guest).toHaveURL(`${E2E.baseURL}/invite`);
	await expect(guest.getByText('ようこそ。付箋は自由に書いてください。')).toBeVisible();
	await expect(guest.getByRole('main')).not.toContainText('大阪会場');
	const data = await guest.request.get('/invite/__data.json');
	bodies.push(await data.text());
	expect(bodies.join('\n')).not.toContain('大阪会場');

	// A withdrawn link is no longer shown.
	await firstItem.getByRole('button', { name: '取り消す' }).click();
	await expect(page.getByText('招待リンクを取り消しました。')).toBeVisible();
	await expect(firstItem.getByLabel('招待リンク', { exact: true })).toHaveCount(0);
	await guest.context().close();
});
