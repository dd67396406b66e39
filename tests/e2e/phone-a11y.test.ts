import { seriousViolations } from './a11y';
import { E2E } from './env';
import { expect, open, signIn, test } from './fixtures';
import { workshop, type Workshop } from './phone-helpers';

/**
 * A11Y-01 on a phone (the phone project, 390×844, touch): axe finds no serious or critical
 * violation on the phone board (lane switcher, card sheet, "move to…" sheet, add sheet), a
 * ballot (also showing a refused ballot's error), the revealed results, and the projector view.
 */
let w: Workshop;
test.beforeAll(async ({ browser }) => {
	w = await workshop(browser);
});

test('A11Y-01 the phone board, its card sheet and its sheets', async ({ page }) => {
	// The facilitator: in the vote phase participants add no cards, and the add sheet is tested.
	await signIn(page.context(), w.facilitator, E2E.baseURL);
	await open(page, `/boards/${w.board}`);
	await expect(page.getByRole('status').filter({ hasText: '接続済み' })).toBeVisible();
	await expect(page.getByRole('tablist')).toBeVisible();
	expect(await seriousViolations(page)).toEqual([]);
	await page.locator('article[data-card-id] button.title').first().click();
	const sheet = page.getByRole('dialog');
	await expect(sheet).toBeVisible();
	expect(await seriousViolations(page)).toEqual([]);
	await sheet.getByRole('button', { name: '閉じる' }).first().click();
	await page.getByRole('button', { name: '＋ カードを追加', exact: true }).click();
	await expect(page.getByRole('dialog', { name: 'カードを追加' })).toBeVisible();
	expect(await seriousViolations(page)).toEqual([]);
});

test('A11Y-01 a ballot on a phone, also with a refused ballot', async ({ page }) => {
	await signIn(page.context(), w.participant, E2E.baseURL);
	await open(page, `/boards/${w.board}/votes/${w.open}`);
	expect(await seriousViolations(page)).toEqual([]);
	await page
		.getByLabel(/に配分するポイント/u)
		.first()
		.fill('101');
	await page.getByRole('button', { name: '投票する', exact: true }).click();
	await expect(page.getByRole('alert')).toBeVisible();
	await page.locator('details.more summary').first().click();
	expect(await seriousViolations(page)).toEqual([]);
});

test('A11Y-01 revealed results on a phone', async ({ page }) => {
	await signIn(page.context(), w.participant, E2E.baseURL);
	await open(page, `/boards/${w.board}/votes/${w.revealed}`);
	await expect(page.getByRole('heading', { name: '結果', exact: true })).toBeVisible();
	expect(await seriousViolations(page)).toEqual([]);
});

test('A11Y-01 the projector view keeps AA contrast, on a phone and on a projector', async ({
	page
}) => {
	await signIn(page.context(), w.participant, E2E.baseURL);
	await open(page, `/boards/${w.board}/present`);
	expect(await seriousViolations(page)).toEqual([]);
	await page.setViewportSize({ width: 1920, height: 1080 });
	expect(await seriousViolations(page)).toEqual([]);
});
