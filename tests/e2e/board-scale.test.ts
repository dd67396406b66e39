import type { Page } from '@playwright/test';
import { addLane, LANE_PRESETS, readBoard } from '../../src/lib/domain/board/doc';
import { LIMITS } from '../../src/lib/domain/board/limits';
import { seriousViolations } from './a11y';
import { craftedClient } from './crafted-client';
import { E2E } from './env';
import {
	cardOn,
	createUser,
	e2eDb,
	expect,
	makeBoard,
	openBoard,
	openCardDialog,
	openCardMenu,
	open,
	signIn,
	test,
	type TestUser
} from './fixtures';

/** The laptop: everything here is judged at 1366×768. */
const LAPTOP = { width: 1366, height: 768 };

const lane = (page: Page, preset: string) => page.locator(`section[data-lane="${preset}"]`);
const titlesIn = async (page: Page, preset: string) =>
	(await lane(page, preset).locator('article[data-card-id] .title').allTextContents()).map((s) =>
		s.trim()
	);

/** A board of `count` seeded cards spread round-robin over the five preset lanes. */
async function bigBoard(facilitator: TestUser, count: number): Promise<string> {
	const { createBoard } = await import('../../src/lib/server/boards/create');
	const { seedCardsFor } = await import('../../src/lib/server/boards/seed-cards');
	const db = e2eDb().db;
	const kinds = ['issue', 'proposal', 'target'] as const;
	const cards = [
		...(await seedCardsFor(db, { type: 'theme', theme: 'talent', kinds: [...kinds] })).cards,
		...(await seedCardsFor(db, { type: 'theme', theme: 'education', kinds: [...kinds] })).cards
	];
	const seen = new Set<string>();
	const unique = cards.filter((c) => {
		const id = c.sources[0]?.itemId ?? c.title;
		if (seen.has(id)) return false;
		seen.add(id);
		return true;
	});
	expect(unique.length).toBeGreaterThanOrEqual(count);
	return createBoard(db, {
		title: '200 枚のボード',
		purpose: '',
		workshopDate: null,
		template: { type: 'theme', theme: 'talent', kinds: [...kinds] },
		cards: unique
			.slice(0, count)
			.map((c, i) => ({ ...c, lane: LANE_PRESETS[i % LANE_PRESETS.length] })),
		author: { id: facilitator.id, name: facilitator.displayName },
		now: Date.now()
	});
}

test('a 200-card board fits a 1366×768 screen: lanes near the top, no page scroll, 20+ cards in view', async ({
	browser,
	user
}) => {
	// 200 cards and axe over all of them take a while on a shared machine.
	test.setTimeout(90_000);
	const id = await bigBoard(user, 200);
	const page = await openBoard(browser, user, id, LAPTOP);
	await expect(page.locator('article[data-card-id]')).toHaveCount(200);
	const m = await page.evaluate(() => {
		const first = document.querySelector('section[data-lane-id]')!.getBoundingClientRect();
		const visible = [...document.querySelectorAll('article[data-card-id]')].filter((el) => {
			const r = el.getBoundingClientRect();
			return (
				r.height > 0 &&
				r.top >= 0 &&
				r.bottom <= innerHeight &&
				r.left >= 0 &&
				r.right <= innerWidth
			);
		}).length;
		const lanesInView = [...document.querySelectorAll('section[data-lane-id]')].filter((el) => {
			const r = el.getBoundingClientRect();
			return r.left >= 0 && r.right <= innerWidth;
		}).length;
		return {
			laneTop: first.top,
			pageHeight: document.documentElement.scrollHeight,
			visible,
			lanesInView
		};
	});
	expect(m.laneTop).toBeLessThanOrEqual(200);
	expect(m.pageHeight).toBeLessThanOrEqual(768);
	expect(m.visible).toBeGreaterThanOrEqual(20);
	expect(m.lanesInView).toBeGreaterThanOrEqual(4);
	// The wheel scrolls a lane, never the page.
	await lane(page, 'unsorted').locator('article[data-card-id]').first().hover();
	await page.mouse.wheel(0, 600);
	await expect
		.poll(() =>
			lane(page, 'unsorted')
				.locator('[data-lane-scroll]')
				.evaluate((el) => el.scrollTop)
		)
		.toBeGreaterThan(0);
	expect(await page.evaluate(() => window.scrollY)).toBe(0);
	// A compact card carries one menu button, not a row of controls.
	const firstCard = page.locator('article[data-card-id]').first();
	await expect(firstCard.getByRole('button')).toHaveCount(2);
	expect(await seriousViolations(page)).toEqual([]);
	await page.context().close();
});

test('lanes: add, rename, collapse (kept after reload) and delete with its cards going to 未分類', async ({
	browser,
	user
}) => {
	const id = await makeBoard(user);
	const page = await openBoard(browser, user, id, LAPTOP);
	await page.getByLabel('レーンを追加').fill('来年度');
	await page.getByRole('button', { name: '＋ レーンを追加' }).click();
	const custom = page.locator('section[data-lane="custom"]');
	await expect(custom.getByRole('heading', { name: '来年度' })).toBeVisible();

	await custom.getByRole('button', { name: 'レーンの操作: 来年度' }).click();
	await page.getByRole('button', { name: 'レーン名を変更' }).click();
	await custom.getByLabel('レーン名').fill('来年度以降');
	await custom.getByRole('button', { name: '保存' }).click();
	await expect(custom.getByRole('heading', { name: '来年度以降' })).toBeVisible();

	// A card into the new lane, then the lane folded: the count stays, the cards are hidden.
	const title = (await titlesIn(page, 'unsorted'))[0]!;
	const menu = await openCardMenu(page, title);
	await menu.getByLabel(`移動先のレーン: ${title}`).selectOption({ label: '来年度以降' });
	await menu.getByRole('button', { name: `移動: ${title}` }).click();
	await expect(cardOn(custom, title)).toBeVisible();
	await custom.getByRole('button', { name: 'レーンを折りたたむ: 来年度以降' }).click();
	await expect(cardOn(custom, title)).toHaveCount(0);
	await expect(custom).toHaveAttribute('data-count', '1');
	await page.reload();
	await expect(custom.getByRole('button', { name: 'レーンを広げる: 来年度以降' })).toBeVisible();
	await custom.getByRole('button', { name: 'レーンを広げる: 来年度以降' }).click();
	await expect(cardOn(custom, title)).toBeVisible();

	await custom.getByRole('button', { name: 'レーンの操作: 来年度以降' }).click();
	await page.getByRole('button', { name: 'レーンを削除' }).click();
	await expect(custom.getByRole('alertdialog')).toContainText(
		'「来年度以降」を削除しますか？ カード 1 枚は未分類に移ります。'
	);
	await custom.getByRole('button', { name: '削除する' }).click();
	await expect(custom).toHaveCount(0);
	await expect(cardOn(lane(page, 'unsorted'), title)).toBeVisible();
	await page.context().close();
});

test('labels on cards, and the filter highlights matches, dims the rest and counts them', async ({
	browser,
	user
}) => {
	const id = await makeBoard(user);
	const page = await openBoard(browser, user, id, LAPTOP);
	await page.getByLabel('ラベル名', { exact: true }).fill('短期');
	await page.getByLabel('色', { exact: true }).selectOption('green');
	await page.getByRole('button', { name: 'ラベルを追加' }).click();
	const [a, b] = await titlesIn(page, 'unsorted');
	await openCardDialog(cardOn(page, a!));
	await page.getByRole('dialog').getByLabel('短期').check();
	await page.getByRole('dialog').getByRole('button', { name: '閉じる' }).click();
	await expect(cardOn(page, a!).getByRole('list', { name: 'ラベル' })).toHaveText('短期');

	await page.getByRole('button', { name: '絞り込み' }).click();
	await page.locator('#filter-menu').getByLabel('ラベル').selectOption({ label: '短期' });
	await page.keyboard.press('Escape');
	await expect(page.getByText('該当 1 / 8 枚')).toBeVisible();
	await expect(cardOn(page, a!)).toHaveClass(/match/u);
	await expect(cardOn(page, b!)).toHaveClass(/dim/u);
	expect(await seriousViolations(page)).toEqual([]);
	await page.getByRole('button', { name: '絞り込みを解除' }).click();

	// Text search: a Japanese substring of one title, marked in it.
	const part = b!.slice(2, 6);
	await page.getByRole('searchbox', { name: 'カードを検索' }).fill(part);
	await expect(cardOn(page, b!).locator('mark')).toHaveText(part);
	await expect(cardOn(page, b!)).toHaveClass(/match/u);
	await expect(page.getByText(/^該当 \d+ \/ 8 枚$/u)).toBeVisible();

	// The filter is in the address: a reload keeps it.
	await expect.poll(() => new URL(page.url()).searchParams.get('q')).toBe(part);
	await page.reload();
	await expect(page.getByRole('searchbox', { name: 'カードを検索' })).toHaveValue(part);
	await expect(cardOn(page, b!).locator('mark')).toHaveText(part);

	// Labelling while sorting: straight from the card's menu.
	const menu = await openCardMenu(page, b!);
	await menu.getByLabel('短期').check();
	await expect(cardOn(page, b!).getByRole('list', { name: 'ラベル' })).toHaveText('短期');
	await page.context().close();
});

test('archive and restore a card; delete a card without sources, with a confirmation', async ({
	browser,
	user
}) => {
	const id = await makeBoard(user);
	const page = await openBoard(browser, user, id, LAPTOP);
	const title = (await titlesIn(page, 'unsorted'))[0]!;
	const menu = await openCardMenu(page, title);
	await menu.getByRole('button', { name: `アーカイブする: ${title}` }).click();
	await expect(cardOn(page, title)).toHaveCount(0);
	const drawer = page.getByRole('region', { name: 'アーカイブ（1 枚）' });
	await expect(drawer).toContainText(title);
	// A seeded card has sources: it can be archived, never deleted.
	await expect(drawer.getByRole('button', { name: `削除する: ${title}` })).toHaveCount(0);
	await drawer.getByRole('button', { name: `レーンに戻す: ${title}` }).click();
	await expect(cardOn(lane(page, 'unsorted'), title)).toBeVisible();

	await lane(page, 'top')
		.getByLabel(/^新しいカードの内容/u)
		.fill('打ち間違いのカード');
	await lane(page, 'top')
		.getByRole('button', { name: /^カードを追加/u })
		.click();
	const typo = await openCardMenu(page, '打ち間違いのカード');
	await typo.getByRole('button', { name: '削除する: 打ち間違いのカード' }).click();
	await expect(page.getByRole('alertdialog')).toContainText(
		'「打ち間違いのカード」を削除しますか？'
	);
	await page.getByRole('alertdialog').getByRole('button', { name: '削除する' }).click();
	await expect(cardOn(page, '打ち間違いのカード')).toHaveCount(0);
	await page.context().close();
});

test('a pointer drag drops into an empty lane wherever the pointer is, away from its centre', async ({
	browser,
	user
}) => {
	const id = await makeBoard(user);
	const page = await openBoard(browser, user, id, LAPTOP);
	const title = (await titlesIn(page, 'unsorted'))[2]!;
	const from = (await cardOn(page, title).boundingBox())!;
	const target = (await lane(page, 'consider').boundingBox())!;
	await page.mouse.move(from.x + 20, from.y + 10);
	await page.mouse.down();
	// Through the middle of the board, then to the empty lane's top-right corner region.
	await page.mouse.move(from.x + 120, from.y + 60, { steps: 5 });
	await page.mouse.move(target.x + target.width - 12, target.y + 60, { steps: 10 });
	await expect(cardOn(lane(page, 'consider'), title)).toBeVisible();
	await page.mouse.up();
	await expect(cardOn(lane(page, 'consider'), title)).toBeVisible();
	expect(await titlesIn(page, 'unsorted')).not.toContain(title);
	// It is stored: a reload shows it there, and nothing opened on drop.
	await expect(page.getByRole('dialog')).toHaveCount(0);
	await page.reload();
	await expect(cardOn(lane(page, 'consider'), title)).toBeVisible();
	await page.context().close();
});

test('on a tablet a swipe scrolls a lane and a held touch drags a card to another lane', async ({
	browser,
	user
}) => {
	const id = await bigBoard(user, 60);
	const context = await browser.newContext({
		viewport: { width: 1024, height: 768 },
		hasTouch: true,
		isMobile: true
	});
	await signIn(context, user, E2E.baseURL);
	const page = await context.newPage();
	await open(page, `/boards/${id}`);
	await expect(page.getByRole('status').filter({ hasText: '接続済み' })).toBeVisible();
	const cdp = await context.newCDPSession(page);
	const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', x = 0, y = 0) =>
		cdp.send('Input.dispatchTouchEvent', {
			type,
			touchPoints: type === 'touchEnd' ? [] : [{ x, y }]
		});
	const list = lane(page, 'unsorted').locator('[data-lane-scroll]');
	const first = lane(page, 'unsorted').locator('article[data-card-id]').first();
	const cardId = (await first.getAttribute('data-card-id'))!;
	const from = (await first.boundingBox())!;
	// A quick swipe is a scroll, not a drag.
	await touch('touchStart', from.x + 30, from.y + 30);
	for (let i = 1; i <= 8; i++) await touch('touchMove', from.x + 30, from.y + 30 - i * 15);
	await touch('touchEnd');
	await expect.poll(() => list.evaluate((el) => el.scrollTop)).toBeGreaterThan(0);
	await expect(lane(page, 'unsorted').locator(`[data-card-id="${cardId}"]`)).toHaveCount(1);
	await list.evaluate((el) => (el.scrollTop = 0));

	// Held still, then moved: the card follows the finger into the lane under it.
	const start = (await first.boundingBox())!;
	const to = (await lane(page, 'high').boundingBox())!;
	await touch('touchStart', start.x + 30, start.y + 20);
	await page.waitForTimeout(450);
	for (let i = 1; i <= 12; i++)
		await touch(
			'touchMove',
			start.x + 30 + ((to.x + 60 - start.x - 30) * i) / 12,
			start.y + 20 + ((to.y + 300 - start.y - 20) * i) / 12
		);
	await touch('touchEnd');
	await expect(lane(page, 'high').locator(`[data-card-id="${cardId}"]`)).toHaveCount(1);
	await expect(page.getByRole('dialog')).toHaveCount(0);
	await context.close();
});

test('A11Y-02 the keyboard carries a card across two lanes with announcements; Escape cancels', async ({
	browser,
	user
}) => {
	const id = await makeBoard(user);
	const page = await openBoard(browser, user, id, LAPTOP);
	const [title, other] = await titlesIn(page, 'unsorted');
	await cardOn(page, title!).locator('button.title').focus();
	await page.keyboard.press('Space');
	await expect(
		page.getByRole('status').filter({ hasText: `移動中: ${title}、レーン「未分類」の1番目` })
	).toHaveCount(1);
	await page.keyboard.press('ArrowRight');
	await expect(
		page.getByRole('status').filter({ hasText: `移動中: ${title}、レーン「最優先」の1番目` })
	).toHaveCount(1);
	await page.keyboard.press('ArrowRight');
	await expect(
		page.getByRole('status').filter({ hasText: `移動中: ${title}、レーン「優先」の1番目` })
	).toHaveCount(1);
	await expect(cardOn(page, title!).locator('button.title')).toBeFocused();
	await page.keyboard.press('Space');
	await expect(
		page.getByRole('status').filter({ hasText: `「${title}」を優先の 1 番目に移動しました。` })
	).toHaveCount(1);
	await expect(cardOn(lane(page, 'high'), title!)).toBeVisible();

	// Escape puts a carried card back where it was.
	await cardOn(page, other!).locator('button.title').focus();
	await page.keyboard.press('Space');
	await page.keyboard.press('ArrowRight');
	await page.keyboard.press('Escape');
	await expect(
		page.getByRole('status').filter({ hasText: `移動を取り消しました: ${other}` })
	).toHaveCount(1);
	await expect(cardOn(lane(page, 'unsorted'), other!)).toBeVisible();
	await page.context().close();
});

test('a merge keeps both wordings and authors, visible to another participant, and its maker can undo it', async ({
	browser,
	user
}) => {
	const a = await createUser(e2eDb().db, { displayName: '書いた人 A' });
	const b = await createUser(e2eDb().db, { displayName: '書いた人 B' });
	const id = await makeBoard(user, [
		[a, 'participant'],
		[b, 'participant']
	]);
	const pa = await openBoard(browser, a, id, LAPTOP);
	const pb = await openBoard(browser, b, id, LAPTOP);
	await lane(pa, 'top')
		.getByLabel(/^新しいカードの内容/u)
		.fill('地域の大学と企業をつなぐ');
	await lane(pa, 'top')
		.getByRole('button', { name: /^カードを追加/u })
		.click();
	await expect(cardOn(pb, '地域の大学と企業をつなぐ')).toBeVisible();
	await lane(pb, 'top')
		.getByLabel(/^新しいカードの内容/u)
		.fill('産学連携の窓口を地方にも');
	await lane(pb, 'top')
		.getByRole('button', { name: /^カードを追加/u })
		.click();
	await expect(cardOn(pa, '産学連携の窓口を地方にも')).toBeVisible();

	await openCardDialog(cardOn(pa, '地域の大学と企業をつなぐ'));
	const dialog = pa.getByRole('dialog');
	await dialog.getByLabel('統合するカード').selectOption({ label: '産学連携の窓口を地方にも' });
	await dialog.getByRole('button', { name: '統合', exact: true }).click();
	await expect(dialog.getByRole('group')).toContainText('書いた人: 書いた人 B');
	await dialog.getByRole('button', { name: '統合する' }).click();
	await expect(dialog.getByRole('region', { name: '統合元' })).toContainText(
		'産学連携の窓口を地方にも'
	);
	await dialog.getByRole('button', { name: '閉じる' }).click();

	// The second participant sees one card, with the merged wording and who wrote what.
	await expect(cardOn(pb, '産学連携の窓口を地方にも')).toHaveCount(0);
	await openCardDialog(cardOn(pb, '地域の大学と企業をつなぐ'));
	const merged = pb.getByRole('dialog').getByRole('region', { name: '統合元' });
	await expect(merged).toContainText('産学連携の窓口を地方にも');
	await expect(merged).toContainText('書いた人: 書いた人 B');
	await expect(merged).toContainText('書いた人 A さんが');
	await expect(pb.getByRole('dialog')).toContainText('追加: 書いた人 A');
	expect(await seriousViolations(pb)).toEqual([]);
	// Only the person who merged (or a facilitator) is offered the undo.
	await expect(merged.getByRole('button', { name: '統合を取り消す' })).toHaveCount(0);
	await pb.getByRole('dialog').getByRole('button', { name: '閉じる' }).click();

	await openCardDialog(cardOn(pa, '地域の大学と企業をつなぐ'));
	await pa.getByRole('dialog').getByRole('button', { name: '統合を取り消す' }).click();
	await pa.getByRole('dialog').getByRole('button', { name: '閉じる' }).click();
	await expect(cardOn(lane(pb, 'top'), '産学連携の窓口を地方にも')).toBeVisible();
	await pa.context().close();
	await pb.context().close();
});

test('a limit shows its message where the person acted; nothing fails silently', async ({
	browser,
	user
}) => {
	const id = await makeBoard(user);
	const crafted = await craftedClient(user, id);
	// Fill the board up to its lane limit from another client.
	const lanes = readBoard(crafted.doc).lanes.length;
	for (let i = lanes; i < LIMITS.lanes; i++) addLane(crafted.doc, `レーン ${i + 1}`);
	const page = await openBoard(browser, user, id, LAPTOP);
	await expect(page.locator('section[data-lane-id]')).toHaveCount(LIMITS.lanes);
	await page.getByLabel('レーンを追加').fill('もう 1 本');
	await page.getByRole('button', { name: '＋ レーンを追加' }).click();
	await expect(page.getByRole('alert')).toContainText(
		`レーンは ${LIMITS.lanes} 本までです。追加できませんでした。`
	);
	await expect(page.locator('section[data-lane-id]')).toHaveCount(LIMITS.lanes);
	crafted.destroy();
	await page.context().close();
});
