import type { Page } from '@playwright/test';
import { seriousViolations } from './a11y';
import { E2E } from './env';
import { e2eDb, expect, open, signIn, test } from './fixtures';

const GX = 'gx2040-innovation-ecosystem-2024';
const count = (page: Page) => page.getByRole('status').filter({ hasText: '件をボードに載せます' });
const picks = (page: Page) => page.locator('input[name="pick"]');

async function boardIdsOf(userId: number): Promise<string[]> {
	const rows = await e2eDb()
		.db.selectFrom('boards')
		.select('id')
		.where('created_by', '=', userId)
		.execute();
	return rows.map((r) => r.id);
}

/** Posts the create form as a browser on this origin would, with repeated fields. */
function postCreate(page: Page, fields: [string, string][]) {
	return page.request.post('/boards/new', {
		data: new URLSearchParams(fields).toString(),
		headers: {
			'Content-Type': 'application/x-www-form-urlencoded',
			Origin: E2E.baseURL,
			Accept: 'text/html'
		},
		maxRedirects: 0
	});
}

test('board creation shows the count and creates only the chosen items', async ({ page, user }) => {
	await page.setViewportSize({ width: 1366, height: 768 });
	await signIn(page.context(), user, E2E.baseURL);
	await open(page, '/boards/new');

	// A whole theme is a lot: the page says so before anything is created.
	await page.getByLabel('テーマ（全報告書から）').check();
	await page.getByLabel('テーマ', { exact: true }).selectOption('talent');
	await expect(count(page)).toContainText(/^\s*1\d\d 件をボードに載せます/u);
	await expect(count(page)).toContainText('1 回のセッションには多すぎます');
	expect(await boardIdsOf(user.id)).toEqual([]);
	expect(await seriousViolations(page)).toEqual([]);

	// One report, proposals only: 33 items, no warning.
	await page.getByLabel('1 つの報告書').check();
	await page.getByLabel('報告書', { exact: true }).selectOption(GX);
	await page.locator('#kind-issue').uncheck();
	await expect(count(page)).toContainText('33 件をボードに載せます');
	await expect(count(page)).not.toContainText('多すぎます');

	// Untick a whole section, then two single items; the count follows at once.
	const firstSection = page.locator('details.section').first();
	const inFirst = await firstSection.locator('input[name="pick"]').count();
	expect(inFirst).toBeGreaterThan(1);
	await firstSection.getByLabel(/この節の \d+ 件をすべて選ぶ/u).uncheck();
	const second = page.locator('details.section').nth(1).locator('input[name="pick"]');
	await second.nth(0).uncheck();
	const expected = 33 - inFirst - 1;
	await expect(count(page)).toContainText(`${expected} 件をボードに載せます`);
	const chosen = await page
		.locator('input[name="pick"]:checked')
		.evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
	expect(chosen).toHaveLength(expected);

	await page.getByLabel('ボード名').fill('選んだ提言だけ');
	await page.getByRole('button', { name: `ボードを作成（カード ${expected} 枚）` }).click();
	await expect(page).toHaveURL(/\/boards\/[a-z2-7]{12}$/u);
	await expect(page.locator('[data-card-id]')).toHaveCount(expected);
	const [id] = await boardIdsOf(user.id);
	const row = await e2eDb()
		.db.selectFrom('boards')
		.select('template')
		.where('id', '=', id!)
		.executeTakeFirstOrThrow();
	expect(JSON.parse(row.template)).toMatchObject({
		type: 'report',
		slug: GX,
		kinds: ['proposal'],
		chosen
	});
});

test('INP-01 INP-02 AC-03: the create action checks the ticked items against the template', async ({
	page,
	user
}) => {
	await signIn(page.context(), user, E2E.baseURL);
	await open(page, '/boards/new');
	const base: [string, string][] = [
		['title', '改ざん'],
		['purpose', ''],
		['workshop_date', ''],
		['source', 'report'],
		['report', GX],
		['narrowed', '1'],
		['kinds', 'proposal']
	];
	// An issue of the same report (not ticked kind) and an item of another report.
	const outside = await e2eDb()
		.db.selectFrom('items')
		.select(['id', 'report_slug', 'kind'])
		.where((eb) =>
			eb.or([
				eb.and([eb('report_slug', '=', GX), eb('kind', '=', 'issue')]),
				eb('report_slug', '!=', GX)
			])
		)
		.limit(1)
		.execute();
	const proposal = await e2eDb()
		.db.selectFrom('items')
		.select('id')
		.where('report_slug', '=', GX)
		.where('kind', '=', 'proposal')
		.executeTakeFirstOrThrow();
	for (const extra of [
		[
			['pick', proposal.id],
			['pick', outside[0]!.id]
		],
		[],
		[
			['pick', proposal.id],
			['pick', '../../etc']
		],
		[
			['pick', proposal.id],
			['role', 'admin']
		]
	] as [string, string][][]) {
		const res = await postCreate(page, [...base, ...extra]);
		expect(res.status()).toBe(400);
	}
	expect(await boardIdsOf(user.id)).toEqual([]);
	const ok = await postCreate(page, [...base, ['pick', proposal.id]]);
	expect(ok.status()).toBe(303);
	expect(await boardIdsOf(user.id)).toHaveLength(1);
});

test.describe('without JavaScript', () => {
	test.use({ javaScriptEnabled: false });

	test('the preview and the create form work as plain forms', async ({ page, user }) => {
		await signIn(page.context(), user, E2E.baseURL);
		await page.goto('/boards/new');
		await page.getByLabel('1 つの報告書').check();
		await page.getByLabel('報告書', { exact: true }).selectOption(GX);
		await page.locator('#kind-issue').uncheck();
		await page.getByRole('button', { name: '項目を表示' }).click();
		await expect(page).toHaveURL(/kinds=proposal/u);
		await expect(count(page)).toContainText('33 件をボードに載せます（条件に合う項目 33 件');
		await expect(picks(page)).toHaveCount(33);

		// Unticked items stay off the board; a refused create keeps the ticks as they were.
		await picks(page).nth(0).uncheck();
		await picks(page).nth(1).uncheck();
		await page.getByRole('button', { name: /^ボードを作成/u }).click();
		await expect(page.locator('#title-error')).toBeVisible();
		await expect(page.locator('input[name="pick"]:checked')).toHaveCount(31);
		await page.getByLabel('ボード名').fill('JS なし');
		await page.getByRole('button', { name: /^ボードを作成/u }).click();
		await expect(page).toHaveURL(/\/boards\/[a-z2-7]{12}$/u);
		// Without JavaScript the server sends the first 15 cards of a lane and counts the rest.
		const lane = page.locator('[data-lane-id][data-count="31"]');
		await expect(lane).toHaveCount(1);
		await expect(lane.locator('[data-card-id]')).toHaveCount(15);
		await expect(lane.locator('[data-more="16"]')).toBeVisible();
	});
});
