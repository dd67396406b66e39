import type { Page } from '@playwright/test';
import { expect, open, test } from './fixtures';

/**
 * Issue 3: the five reports browsable and searchable, in Japanese and English. This file runs
 * twice: with JavaScript and without it (plain links and GET forms). The server seeds the
 * library from seeds/reports when it starts.
 */
const noJs = () => test.info().project.use.javaScriptEnabled === false;

/** The search results' item ids, in order. */
const resultIds = (page: Page) => page.locator('ol.results li .id').allTextContents();

/** Waits for the results of `q` (with JavaScript the page updates in place, so the URL alone is not enough). */
async function resultsFor(page: Page, q: string) {
	await expect(page).toHaveURL((url) => url.searchParams.get('q') === q);
	await expect(page).toHaveTitle(
		new RegExp(`^${q.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&')} — `, 'u')
	);
}

async function searchFor(page: Page, q: string) {
	await page.getByLabel('キーワード').fill(q);
	await page.getByRole('main').getByRole('button', { name: '検索' }).click();
	await resultsFor(page, q);
}

async function switchToEnglish(page: Page) {
	await page.locator('#lang-select').selectOption('en');
	// Without JavaScript the select cannot submit itself: the <noscript> button does.
	if (noJs()) await page.getByRole('button', { name: '切り替え' }).click();
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
}

test('browse: the five reports, a report outline, an item with its quote', async ({ page }) => {
	await open(page, '/library');
	await expect(page.getByRole('heading', { level: 1, name: 'ライブラリ' })).toBeVisible();
	const reports = page.locator('ul.reports > li');
	await expect(reports).toHaveCount(5);
	await expect(reports.first()).toContainText('一般社団法人 産業競争力懇談会（COCN）');
	await expect(reports.first()).toContainText('120 件');
	// An inferred date says so.
	await expect(page.locator('ul.reports > li', { hasText: '中間取りまとめ' })).toContainText(
		'（推定）'
	);

	await page.getByRole('link', { name: '産業技術ビジョン2020' }).first().click();
	await expect(page).toHaveURL('/library/meti-tech-vision-2020');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('産業技術ビジョン2020');
	const toc = page.getByRole('navigation', { name: '目次' });
	await expect(toc.getByRole('link').first()).toBeVisible();
	await expect(page.locator('li#tv20-001')).toBeVisible();

	await page.locator('li#tv20-001').getByRole('link').first().click();
	await expect(page).toHaveURL('/library/items/tv20-001');
	await expect(page.locator('blockquote')).toBeVisible();
	await expect(page.locator('figcaption cite')).toHaveText('産業技術ビジョン2020');
});

test('an outline shows issue ↔ proposal links from both ends', async ({ page }) => {
	await open(page, '/library/cocn-7th-basic-plan-2025');
	const issue = page.locator('li#cocn25-102');
	await expect(issue.locator('.links', { hasText: '対応する提言・目標' })).toContainText(
		'cocn25-106'
	);
	const proposal = page.locator('li#cocn25-106');
	await expect(proposal.locator('.links', { hasText: '対応する課題' })).toContainText('cocn25-102');
	// The link leads to the item's place on the same page.
	await proposal.getByRole('link', { name: 'cocn25-102' }).click();
	await expect(page).toHaveURL(/#cocn25-102$/u);
});

test('an item in full: titles, quote, attributes, links, related across reports', async ({
	page
}) => {
	await open(page, '/library/items/im19-166');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(
		'大学－企業間の研究人材の流動性が低い'
	);
	await expect(page.locator('p.secondary[lang=en]').first()).toHaveText(
		'Low researcher mobility between universities and firms'
	);
	await expect(page.locator('blockquote')).toContainText('流動性は低いレベルにとどまり');
	await expect(page.locator('figcaption')).toContainText('産学連携・産学融合の推進');
	await expect(page.locator('dl.facts')).toContainText('大学 (明記)');
	const related = page.locator('section', {
		has: page.getByRole('heading', { name: '他の報告書の関連項目' })
	});
	await expect(related.getByRole('link', { name: '人材の流動性の低さ' })).toBeVisible();
	await expect(related.locator('details summary')).toHaveText('関連度の求め方');
});

test('an unknown item is a 404 page, not a crash', async ({ page }) => {
	const response = await page.goto('/library/items/tv20-999');
	expect(response?.status()).toBe(404);
	await expect(page.getByText('ページが見つかりません。')).toBeVisible();
	expect((await page.goto('/library/items/<script>'))?.status()).toBe(404);
});

test.describe('search', () => {
	for (const [q, expected] of [
		['人材', 'cocn25-004'],
		['スタートアップ', 'im19-059'],
		['研究セキュリティ', 'cocn25-037'],
		['talent', 'ict19-114'],
		['startup', 'im19-059']
	] as const) {
		test(`${q} finds ${expected}, marked, with the query in the URL`, async ({ page }) => {
			await open(page, '/library');
			await page.getByLabel('ライブラリを検索').fill(q);
			await page.getByRole('main').getByRole('button', { name: '検索' }).click();
			await resultsFor(page, q);
			await expect(page.locator('.count')).toContainText('件見つかりました');
			await expect(page.getByLabel('キーワード')).toHaveValue(q);
			const marks = await page.locator('ol.results mark').allTextContents();
			expect(marks.length).toBeGreaterThan(0);
			for (const m of marks) expect(m.toLowerCase()).toContain(q.toLowerCase());
			// The item may be on a later page: follow "next" until it shows.
			for (let p = 2; !(await resultIds(page)).includes(expected); p++) {
				await page.getByRole('link', { name: '次のページ' }).click();
				await expect(page.locator('nav.pages')).toContainText(`${p} / `);
			}
		});
	}

	test('one- and two-character queries: 量子, AI', async ({ page }) => {
		await open(page, '/library/search?q=量子');
		await expect(page.locator('ol.results mark').first()).toHaveText('量子');
		expect(await resultIds(page)).toContain('cocn25-056');

		await searchFor(page, 'AI');
		const marks = await page.locator('ol.results mark').allTextContents();
		expect(marks.length).toBeGreaterThan(0);
		for (const m of marks) expect(m).toBe('AI');
	});

	test('filters from the URL are applied and shown in the form', async ({ page }) => {
		await open(page, '/library/search?q=データ&kind=target&report=mic-ict-global-strategy-2019');
		await expect(page.locator('#f-kind')).toHaveValue('target');
		await expect(page.locator('#f-report')).toHaveValue('mic-ict-global-strategy-2019');
		const kinds = await page.locator('ol.results .kind').allTextContents();
		expect(kinds.length).toBeGreaterThan(0);
		for (const k of kinds) expect(k).toContain('目標');
		for (const id of await resultIds(page)) expect(id).toMatch(/^ict19-/u);

		await open(page, '/library/search?horizon=2030&actor=government');
		await expect(page.locator('#f-horizon')).toHaveValue('2030');
		await expect(page.locator('#f-actor')).toHaveValue('government');
		await expect(page.locator('.count')).toBeVisible();
		await expect(page.locator('ol.results > li').first()).toBeVisible();
	});

	test('filters chosen in the form go into the URL', async ({ page }) => {
		await open(page, '/library/search');
		await expect(page.getByText('キーワードを入力するか')).toBeVisible();
		await page.locator('#f-theme').selectOption('research_security');
		await page.locator('#f-kind').selectOption('proposal');
		await page.getByRole('main').getByRole('button', { name: '検索' }).click();
		await expect(page).toHaveURL(/theme=research_security/u);
		await expect(page).toHaveURL(/kind=proposal/u);
		const ids = await resultIds(page);
		expect(ids).toContain('cocn25-037');
	});

	test('results come in pages, and the page is in the URL', async ({ page }) => {
		await open(page, '/library/search?q=人材');
		await expect(page.locator('nav.pages')).toContainText('1 / 7 ページ');
		const first = await resultIds(page);
		expect(first).toHaveLength(20);
		await page.getByRole('link', { name: '次のページ' }).click();
		await expect(page).toHaveURL((url) => url.searchParams.get('page') === '2');
		await expect(page.locator('nav.pages')).toContainText('2 / 7 ページ');
		const second = await resultIds(page);
		expect(second.filter((id) => first.includes(id))).toEqual([]);
		await page.getByRole('link', { name: '前のページ' }).click();
		await expect(page.locator('nav.pages')).toContainText('1 / 7 ページ');
	});

	test('% and _ are searched for literally', async ({ page }) => {
		await open(page, '/library/search?q=_');
		await expect(page.locator('.count')).toContainText('0 件');
		await open(page, '/library/search?q=10%25');
		expect(await resultIds(page)).toContain('cocn25-024');
	});

	test('bad or oversized parameters give a clear message, not an error page', async ({ page }) => {
		let response = await page.goto('/library/search?q=人材&kind=wish');
		expect(response?.status()).toBe(200);
		await expect(page.getByRole('alert')).toHaveText('「種別」の値が正しくありません。');
		response = await page.goto(`/library/search?q=${'あ'.repeat(201)}`);
		expect(response?.status()).toBe(200);
		await expect(page.getByRole('alert')).toContainText('200 文字以内');
		response = await page.goto("/library/search?q=' OR 1=1 --&page=2");
		expect(response?.status()).toBe(200);
	});
});

test('a theme across reports: one column per report', async ({ page }) => {
	await open(page, '/library');
	await page.getByRole('link', { name: '研究セキュリティ・インテグリティ' }).first().click();
	await expect(page).toHaveURL('/library/themes/research_security');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(
		'研究セキュリティ・インテグリティ'
	);
	const columns = page.locator('section.column');
	await expect(columns).toHaveCount(5);
	await expect(columns.first()).toContainText('15 件');
	await expect(page.locator('li', { hasText: 'cocn25-037' })).toBeVisible();
	expect((await page.goto('/library/themes/not-a-theme'))?.status()).toBe(404);
});

test('in English: the interface, titles and search', async ({ page }) => {
	await open(page, '/library');
	await switchToEnglish(page);
	await expect(page).toHaveURL('/library');
	await expect(page.getByRole('heading', { level: 1, name: 'Library' })).toBeVisible();
	await expect(
		page.getByRole('link', { name: 'Industrial Technology Vision 2020' }).first()
	).toBeVisible();
	await expect(page.locator('ul.reports > li').first()).toContainText('120 items');

	await page.getByLabel('Search the library').fill('talent');
	await page.getByRole('main').getByRole('button', { name: 'Search' }).click();
	await expect(page.locator('.count')).toContainText('items found');
	// English titles first, the Japanese one kept beside it.
	const first = page.locator('ol.results li').first();
	await expect(first.locator('p.title')).toHaveAttribute('lang', 'en');
	await expect(first.locator('p.secondary')).toHaveAttribute('lang', 'ja');
	await expect(first.locator('p.title mark').first()).toHaveText(/talent/iu);

	await open(page, '/library/items/im19-166');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(
		'Low researcher mobility between universities and firms'
	);
	await expect(page.locator('.summary[lang=ja]')).toBeVisible();
	await expect(page.getByRole('heading', { name: 'Related items in other reports' })).toBeVisible();
});
