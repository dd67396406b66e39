import { devices, type Browser, type Locator, type Page } from '@playwright/test';
import { E2E } from './env';
import {
	createUser,
	e2eDb,
	expect,
	open,
	openCardMenu,
	signIn,
	test,
	type TestUser
} from './fixtures';
import { sidewaysProblems } from './phone-helpers';
import { TITLES, voteBoard } from './votes-helpers';

/**
 * The live board on a phone (the phone project, 390×844, touch): what the facilitator does at
 * a laptop — a spotlight on a card in another lane, the timer — reaches the phone, and a swipe
 * across the lane switches lanes.
 */

/** A board with a participant, the facilitator at a laptop (its own desktop context). */
async function workshopAtLaptop(browser: Browser) {
	const db = e2eDb().db;
	const facilitator = await createUser(db, { displayName: '進行役 ラップトップ' });
	const participant = await createUser(db, { displayName: '参加者 スマホ', sector: 'academia' });
	const board = await voteBoard(facilitator, [[participant, 'participant']]);
	const laptop = await browser.newContext({
		...devices['Desktop Chrome'],
		viewport: { width: 1280, height: 800 }
	});
	await signIn(laptop, facilitator, E2E.baseURL);
	const desk = await laptop.newPage();
	await live(desk, board);
	return { board, participant, desk };
}

async function live(page: Page, board: string) {
	await open(page, `/boards/${board}`);
	await expect(page.getByRole('status').filter({ hasText: '接続済み' })).toBeVisible();
}

/** The facilitator moves a card to another lane with the card's menu. */
async function moveOnDesk(desk: Page, title: string, lane: string) {
	const menu = await openCardMenu(desk, title);
	await menu.getByLabel(`移動先のレーン: ${title}`).selectOption({ label: lane });
	await menu.getByRole('button', { name: `移動: ${title}` }).click();
	const target = desk
		.locator('section[data-lane-id]')
		.filter({ has: desk.getByRole('heading', { name: lane, exact: true }) });
	await expect(target.locator('article[data-card-id]', { hasText: title })).toBeVisible();
}

async function phoneOn(page: Page, user: TestUser, board: string) {
	await signIn(page.context(), user, E2E.baseURL);
	await live(page, board);
	return page.getByRole('tablist', { name: 'レーンの切り替え' });
}

test('a spotlight on a card in another lane and the timer reach a phone', async ({
	page,
	browser
}) => {
	const { board, participant, desk } = await workshopAtLaptop(browser);
	const tabs = await phoneOn(page, participant, board);
	await expect(tabs.getByRole('tab', { name: /未分類\s*6/u })).toHaveAttribute(
		'aria-selected',
		'true'
	);
	// The card goes to the last lane, whose tab is off the phone's strip; the phone stays put.
	const title = TITLES[3];
	await moveOnDesk(desk, title, '保留');
	await expect(tabs.getByRole('tab', { name: /保留\s*1/u })).toHaveAttribute(
		'aria-selected',
		'false'
	);
	await expect(page.locator('article[data-card-id]', { hasText: title })).toHaveCount(0);

	const menu = await openCardMenu(desk, title);
	await menu.getByRole('button', { name: `みんなの画面をここへ: ${title}` }).click();
	// The phone follows: the card's lane is chosen (its tab scrolled into view), the card is on
	// screen, and the phone says who is pointing at what.
	const held = tabs.getByRole('tab', { name: /保留\s*1/u });
	await expect(held).toHaveAttribute('aria-selected', 'true');
	await expect(held).toBeInViewport();
	await expect(page.locator('section[data-lane-id] h2')).toHaveText('保留');
	await expect(page.locator('article[data-card-id]', { hasText: title })).toBeInViewport();
	await expect(page.getByText(`ファシリテーターが注目しています: ${title}`)).toBeVisible();
	expect(await sidewaysProblems(page)).toEqual([]);

	await desk.getByLabel('タイマー').fill('5');
	await desk.getByRole('button', { name: '開始', exact: true }).click();
	const timer = page.getByRole('timer');
	await expect(timer).toHaveText(/残り (4:5\d|5:00)/u);
	await expect(timer).toBeInViewport();
	// It stays on screen in the phone's bar while the lane scrolls.
	await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
	await expect(timer).toBeInViewport();
	await expect(timer).toHaveText(/残り 4:\d\d|残り 5:00/u);
	await desk.context().close();
});

test('a swipe across the lane switches to the next lane and back, showing its count', async ({
	page,
	browser
}) => {
	const { board, participant, desk } = await workshopAtLaptop(browser);
	await moveOnDesk(desk, TITLES[0], '最優先');
	await moveOnDesk(desk, TITLES[1], '最優先');
	await desk.context().close();
	const tabs = await phoneOn(page, participant, board);
	const selected = tabs.getByRole('tab', { selected: true });
	await expect(selected).toHaveText(/未分類\s*4/u);
	const lanes = page.getByRole('region', { name: 'レーン', exact: true });

	// A finger swipes right to left: the next lane, 最優先 with its two cards.
	await swipe(page, lanes, -220);
	await expect(selected).toHaveText(/最優先\s*2/u);
	await expect(page.locator('section[data-lane-id] h2')).toHaveText('最優先');
	await expect(page.locator('article[data-card-id]')).toHaveText([
		new RegExp(TITLES[0], 'u'),
		new RegExp(TITLES[1], 'u')
	]);
	// A mostly vertical stroke scrolls; it does not switch lanes.
	await swipe(page, lanes, -70, -200);
	await expect(selected).toHaveText(/最優先\s*2/u);
	await swipe(page, lanes, -220);
	await expect(selected).toHaveText(/^\s*優先\s*0/u);
	// Left to right goes back.
	await swipe(page, lanes, 220);
	await swipe(page, lanes, 220);
	await expect(selected).toHaveText(/未分類\s*4/u);
	await expect(page.locator('article[data-card-id]')).toHaveCount(4);
	expect(await sidewaysProblems(page)).toEqual([]);
});

/**
 * A one-finger stroke of (dx, dy) px through the middle of what is on screen of `target`, as
 * the touch screen reports it (DevTools' touch events: touchstart, touchmove, touchend).
 */
async function swipe(page: Page, target: Locator, dx: number, dy = 0) {
	const box = (await target.boundingBox())!;
	const view = page.viewportSize()!;
	const top = Math.max(box.y, 0);
	const bottom = Math.min(box.y + box.height, view.height);
	const x0 = view.width / 2 - dx / 2;
	const y0 = (top + bottom) / 2 - dy / 2;
	const cdp = await page.context().newCDPSession(page);
	const at = (f: number) => [{ x: x0 + dx * f, y: y0 + dy * f }];
	await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: at(0) });
	for (const f of [0.25, 0.5, 0.75, 1])
		await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: at(f) });
	await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
	await cdp.detach();
}
