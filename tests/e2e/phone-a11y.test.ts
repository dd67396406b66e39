import { seriousViolations } from './a11y';
import { E2E } from './env';
import { expect, open, signIn, test } from './fixtures';
import { sidewaysProblems, smallText, workshop, type Workshop } from './phone-helpers';

/**
 * A11Y-01 on a phone (the phone project, 390×844, touch): axe finds no serious or critical
 * violation on the phone board (lane switcher, card sheet, "move to…" sheet, add sheet), a
 * ballot (also showing a refused ballot's error), the revealed results (also a score vote's,
 * with its support by sector and 2×2 matrix), and the projector view.
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

test('A11Y-01 RESP-01 support by sector and the 2×2 matrix read on a phone without zooming', async ({
	page
}) => {
	await signIn(page.context(), w.participant, E2E.baseURL);
	await open(page, `/boards/${w.board}/votes/${w.scored}`);
	const sectors = page.getByRole('region', { name: 'セクター別の支持率' });
	const table = sectors.getByRole('table');
	await expect(table).toBeVisible();
	// A column per group: industry, government, and academia with civil society merged.
	await expect(table.locator('thead th')).toHaveText([
		'カード',
		/^産業界/u,
		/^行政/u,
		/^統合: .*・/u
	]);
	const matrix = page.locator('figure.matrix');
	await expect(matrix.getByRole('img', { name: '効果 × 実現性のマトリクス' })).toBeVisible();
	await expect(matrix.locator('svg .dot')).toHaveCount(6);
	let scrolled = 0;
	for (const size of [
		{ width: 390, height: 844 },
		{ width: 360, height: 740 }
	]) {
		await page.setViewportSize(size);
		const at = `${size.width} px`;
		expect.soft(await sidewaysProblems(page), at).toEqual([]);
		expect.soft(await smallText(sectors), `sector table at ${at}`).toEqual([]);
		expect.soft(await smallText(matrix), `matrix at ${at}`).toEqual([]);
		// The matrix is drawn within the screen, not cut off at its edge.
		const svg = (await matrix.locator('svg').boundingBox())!;
		expect.soft(svg.x, at).toBeGreaterThanOrEqual(0);
		expect.soft(svg.x + svg.width, at).toBeLessThanOrEqual(size.width);
		// The table scrolls inside its own box, which fits the screen, with the card column
		// fixed: scrolled to its end, each row still shows which card it is.
		const box = sectors.locator('.table-scroll');
		const fit = await box.evaluate((b) => {
			const r = b.getBoundingClientRect();
			return { left: r.left, right: r.right, scrolls: b.scrollWidth > b.clientWidth };
		});
		expect.soft(fit.left, at).toBeGreaterThanOrEqual(0);
		expect.soft(fit.right, at).toBeLessThanOrEqual(size.width);
		if (fit.scrolls) {
			await box.scrollIntoViewIfNeeded();
			const first = table.locator('tbody th').first();
			const before = (await first.boundingBox())!.x;
			await box.evaluate((b) => b.scrollTo({ left: b.scrollWidth, behavior: 'instant' }));
			await expect.poll(async () => (await first.boundingBox())!.x, { message: at }).toBe(before);
			await expect(table.locator('tbody tr').first().locator('td').last()).toBeInViewport();
			await box.evaluate((b) => b.scrollTo({ left: 0, behavior: 'instant' }));
			scrolled++;
		}
	}
	// Three groups are wider than a 360 px screen: the scrolling box was really exercised.
	expect(scrolled).toBeGreaterThan(0);
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
