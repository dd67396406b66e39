import type { Page } from '@playwright/test';
import { addCard, readBoard } from '../../src/lib/domain/board/doc';
import { craftedClient } from './crafted-client';
import { E2E } from './env';
import {
	cardOn,
	createUser,
	e2eDb,
	expect,
	makeBoard,
	open,
	openBoard,
	openCardMenu,
	signIn,
	test,
	type TestUser
} from './fixtures';

const card = cardOn;

async function setPhase(page: Page, label: string) {
	await page.getByLabel('フェーズ', { exact: true }).selectOption({ label });
	await page.getByRole('button', { name: 'フェーズを切り替え' }).click();
	await expect(page.getByText(`フェーズ: ${label}`)).toBeVisible();
}

test('AC-06 phase rules and the lock hold against a crafted client, not only hidden buttons', async ({
	browser,
	user
}) => {
	const p = await createUser(e2eDb().db, { displayName: '参加者' });
	const id = await makeBoard(user, [[p, 'participant']]);
	const fac = await openBoard(browser, user, id);
	const crafted = await craftedClient(p, id);
	const lane = readBoard(crafted.doc).lanes[0]!.id;
	const write = (title: string) =>
		addCard(crafted.doc, { title, lane, author: { id: p.id, name: '参加者' }, now: Date.now() });

	await setPhase(fac, '投票');
	write('投票中にこっそり追加');
	await fac.waitForTimeout(1500);
	await expect(card(fac, '投票中にこっそり追加')).toHaveCount(0);

	await setPhase(fac, '整理');
	await fac.getByRole('button', { name: 'ボードをロック' }).click();
	await expect(fac.getByText('ボードはロックされています')).toBeVisible();
	write('ロック中にこっそり追加');
	await fac.waitForTimeout(1500);
	await expect(card(fac, 'ロック中にこっそり追加')).toHaveCount(0);

	await fac.getByRole('button', { name: 'ロックを解除' }).click();
	await expect(fac.getByText('ボードはロックされています')).toHaveCount(0);
	// An honest change goes through once the rules allow it.
	const fresh = await craftedClient(p, id);
	addCard(fresh.doc, {
		title: '解除後の追加',
		lane,
		author: { id: p.id, name: '参加者' },
		now: Date.now()
	});
	await expect(card(fac, '解除後の追加')).toBeVisible();
	await fac.reload();
	await expect(card(fac, '投票中にこっそり追加')).toHaveCount(0);
	await expect(card(fac, 'ロック中にこっそり追加')).toHaveCount(0);
	crafted.destroy();
	fresh.destroy();
	await fac.context().close();
});

test('the timer shows the same remaining time in two contexts and after a reload', async ({
	browser,
	user
}) => {
	const p = await createUser(e2eDb().db);
	const id = await makeBoard(user, [[p, 'participant']]);
	const fac = await openBoard(browser, user, id);
	const part = await openBoard(browser, p, id);
	// The facilitator's dashboard counts who is here, by sector (two people, both industry).
	await expect(fac.getByRole('region', { name: 'ファシリテーター用ダッシュボード' })).toContainText(
		'参加中 2 人: 産業界 2'
	);
	await fac.getByLabel('タイマー').fill('5');
	await fac.getByRole('button', { name: '開始', exact: true }).click();
	const timer = (page: Page) => page.getByRole('timer');
	await expect(timer(part)).toHaveText(/残り 4:5\d|残り 5:00/u);
	const seconds = async (page: Page) => {
		const m = /(\d+):(\d\d)/u.exec((await timer(page).textContent()) ?? '');
		return m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
	};
	expect(Math.abs((await seconds(fac)) - (await seconds(part)))).toBeLessThanOrEqual(1);
	await part.reload();
	await expect(timer(part)).toBeVisible();
	expect(Math.abs((await seconds(fac)) - (await seconds(part)))).toBeLessThanOrEqual(1);
	await fac.getByRole('button', { name: '一時停止' }).click();
	await expect(timer(part)).toContainText('一時停止中');
	await fac.context().close();
	await part.context().close();
});

test('when the timer ends both screens say so; the facilitator clears it, or it goes by itself', async ({
	browser,
	user
}) => {
	const p = await createUser(e2eDb().db);
	const id = await makeBoard(user, [[p, 'participant']]);
	// The shortest timer the form starts is a minute. Rather than wait it out, each browser runs
	// on Playwright's clock (real speed, jumped forward below): the end is set by the server
	// through the facilitator's form, and each browser reads it against its own clock — a jump
	// is what a minute passing looks like to it. Clearing goes through the server as it would.
	const person = async (u: TestUser) => {
		const context = await browser.newContext();
		await context.clock.install();
		await signIn(context, u, E2E.baseURL);
		const page = await context.newPage();
		await open(page, `/boards/${id}`);
		await expect(page.getByRole('status').filter({ hasText: '接続済み' })).toBeVisible();
		return page;
	};
	const fac = await person(user);
	const part = await person(p);
	const both = [fac, part];
	const timer = (page: Page) => page.getByTestId('timer');
	const startOneMinute = async () => {
		await fac.getByLabel('タイマー').fill('1');
		await fac.getByRole('button', { name: '開始', exact: true }).click();
		for (const page of both) await expect(timer(page)).toHaveText(/残り (0:5\d|1:00)/u);
	};
	const pass = async (time: string) => {
		for (const page of both) await page.clock.fastForward(time);
	};
	const timeUpOnBoth = async () => {
		for (const page of both) {
			await expect(timer(page)).toHaveText('時間です');
			await expect(timer(page)).toHaveClass(/\bup\b/u);
			await expect(timer(page)).toHaveRole('status');
		}
	};

	await startOneMinute();
	await pass('01:01');
	await timeUpOnBoth();
	await fac.getByRole('button', { name: 'タイマーを消す' }).click();
	for (const page of both) await expect(timer(page)).toHaveCount(0);

	// Reloaded, each browser measures the server's clock again (the jump above is undone).
	for (const page of both) {
		await page.reload();
		await expect(page.getByRole('status').filter({ hasText: '接続済み' })).toBeVisible();
	}
	await startOneMinute();
	await pass('01:01');
	await timeUpOnBoth();
	// Nobody clears it this time: a minute after the end it is gone from both screens.
	await pass('01:00');
	for (const page of both) await expect(timer(page)).toHaveCount(0);
	await fac.context().close();
	await part.context().close();
});

test('follow brings a second context to the spotlighted card', async ({ browser, user }) => {
	const p = await createUser(e2eDb().db);
	const id = await makeBoard(user, [[p, 'participant']]);
	const fac = await openBoard(browser, user, id);
	const part = await openBoard(browser, p, id);
	await part.setViewportSize({ width: 700, height: 500 });
	const last = fac.locator('article[data-card-id]').last();
	const title = (await last.locator('.title').textContent())!.trim();
	const menu = await openCardMenu(fac, title);
	await menu.getByRole('button', { name: `みんなの画面をここへ: ${title}` }).click();
	await expect(part.getByText(`ファシリテーターが注目しています: ${title}`)).toBeVisible();
	await expect(card(part, title)).toBeInViewport();
	await fac.context().close();
	await part.context().close();
});

test('private drafts stay off other screens and off the wire until revealed', async ({
	browser,
	user
}) => {
	const a = await createUser(e2eDb().db, { displayName: '書く人' });
	const b = await createUser(e2eDb().db, { displayName: '見る人' });
	const id = await makeBoard(user, [
		[a, 'participant'],
		[b, 'participant']
	]);
	const fac = await openBoard(browser, user, id);
	await setPhase(fac, '個人で書く');
	const pa = await openBoard(browser, a, id);
	const pb = await openBoard(browser, b, id);
	const frames: string[] = [];
	pb.on('websocket', (ws) =>
		ws.on('framereceived', (f) => frames.push(Buffer.from(f.payload).toString('utf8')))
	);
	await pb.reload();
	await expect(pb.getByRole('status').filter({ hasText: '接続済み' })).toBeVisible();

	const secret = '秘密の下書きアイデア';
	await pa.getByLabel('タイトル', { exact: true }).fill(secret);
	await pa.getByRole('button', { name: '下書きを追加' }).click();
	await expect(pa.getByRole('region', { name: /あなたの下書き/u })).toContainText(secret);
	await pb.waitForTimeout(1000);
	await expect(pb.getByText(secret)).toHaveCount(0);
	expect(frames.some((f) => f.includes(secret))).toBe(false);
	const data = await pb.request.get(`/boards/${id}/__data.json`);
	expect(await data.text()).not.toContain(secret);

	await fac.reload();
	await fac.getByRole('button', { name: /下書きを公開する/u }).click();
	await expect(card(pb, secret)).toBeVisible();
	await fac.context().close();
	await pa.context().close();
	await pb.context().close();
});
