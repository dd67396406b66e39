import type { Locator, Page } from '@playwright/test';
import { E2E } from './env';
import { expect, open, signIn, test } from './fixtures';
import { importRows } from './import-helpers';

/**
 * Issue 17 without JavaScript (the `import-nojs` project): every step of bringing in a report is
 * a plain form post — upload a text file, refuse a quote that is not in the text, accept a
 * candidate, add an item the rules missed by typing its quote, publish, find it in the library.
 * A file over the upload limit is refused by the server with the import's own message.
 */

test.describe.configure({ mode: 'serial' });

const TEXT = [
	'第１章 地域交通の現状',
	'地方の路線バスの運転士が不足している。',
	'利用者は年々減っている。',
	'第２章 提言',
	'自治体は交通事業者と運行協定を結ぶべきである。',
	'住民が運行計画に参加する場を設ける取組も一案となる。'
].join('\n');

async function sectionTitle(page: Page, title: string): Promise<void> {
	await page.getByLabel('この節の英語の見出し').fill(title);
	await page.getByRole('button', { name: '英語の見出しを保存' }).click();
	await expect(page.getByText('保存しました。')).toBeVisible();
	await expect(page.getByLabel('この節の英語の見出し')).toHaveValue(title);
}

const item = (page: Page, quote: string) =>
	page.locator('article.item').filter({ has: page.locator('blockquote', { hasText: quote }) });

test('a text file: curate, refuse a non-verbatim quote, add by typing, publish, search', async ({
	page,
	user
}) => {
	test.setTimeout(90_000);
	await signIn(page.context(), user, E2E.baseURL);
	await open(page, '/library/import');
	await page.getByLabel('報告書のファイル').setInputFiles({
		name: 'chiiki-kotsu.txt',
		mimeType: 'text/plain',
		buffer: Buffer.from(TEXT)
	});
	await page.getByRole('button', { name: '読み込んで候補を出す' }).click();
	await expect(page).toHaveURL(/\/library\/import\/[a-z2-7]+$/u);
	await expect(page.getByText('元のファイル：chiiki-kotsu.txt（TEXT、1 ページ）')).toBeVisible();

	// The proposals are in the second chapter: a plain link there.
	await page
		.getByRole('navigation', { name: '章・節' })
		.getByRole('link', { name: /提言/u })
		.click();
	const proposal = '自治体は交通事業者と運行協定を結ぶべきである。';
	await item(page, proposal)
		.getByLabel('引用（本文そのまま）')
		.fill('自治体は交通事業者と協定を結ぶべきである。');
	await item(page, proposal).getByRole('button', { name: 'この項目を保存' }).click();
	await expect(page.getByRole('alert')).toHaveText(/引用が本文と一致しません/u);
	await expect(item(page, proposal).getByRole('heading', { name: /未確認/u })).toBeVisible();

	await curate(item(page, proposal), {
		title_ja: 'スクリプトなし試験 運行協定',
		title_en: 'No-script test: service agreements',
		summary_ja: '自治体と交通事業者が運行協定を結ぶ。',
		theme: 'スマートシティ・まちづくり'
	});
	await expect(item(page, proposal).getByRole('heading', { name: /採用/u })).toBeVisible();

	// Without JavaScript the text cannot be selected into the box: typing the quote works.
	await page.getByLabel('追加する引用').fill('利用者は年々減っている。');
	await page.getByLabel('種類', { exact: true }).first().selectOption('issue');
	await page.getByRole('button', { name: '項目を追加' }).click();
	await expect(page.getByText('保存しました。')).toBeVisible();
	await page
		.getByRole('navigation', { name: '章・節' })
		.getByRole('link', { name: /地域交通の現状/u })
		.click();
	const added = item(page, '利用者は年々減っている。').filter({
		has: page.getByRole('heading', { name: /手作業で追加/u })
	});
	await curate(added, {
		title_ja: 'スクリプトなし試験 利用者の減少',
		title_en: 'No-script test: fewer riders',
		summary_ja: '路線バスの利用者が減っている。',
		theme: 'スマートシティ・まちづくり'
	});
	// Each section needs its English title before publishing (a plain form on the section's page).
	await sectionTitle(page, 'Local transport today');
	await page
		.getByRole('navigation', { name: '章・節' })
		.getByRole('link', { name: /提言/u })
		.click();
	await sectionTitle(page, 'Recommendations');

	const slug = `import-nojs-${Date.now().toString(36)}`;
	await page.getByLabel('URL 用の名前（英小文字・数字・ハイフン）').fill(slug);
	await page.getByLabel('題名（日本語）', { exact: true }).fill('スクリプトなし試験報告書');
	await page.getByLabel('題名（英語）', { exact: true }).fill('No-script import test report');
	await page.getByLabel('発行者（日本語）').fill('試験協議会');
	await page.getByLabel('発行者（英語）').fill('Test board');
	await page.getByLabel('発行年月（YYYY-MM または YYYY-MM-DD）').fill('2026-05');
	await page.getByLabel('概要（日本語）').fill('スクリプトなしで取り込んだ試験用の報告書。');
	await page.getByLabel('概要（英語）').fill('A report imported without JavaScript.');
	await page.getByRole('button', { name: '報告書の情報を保存' }).click();
	await expect(page.getByText('保存しました。')).toBeVisible();
	await page.getByRole('button', { name: 'ライブラリに公開' }).click();
	await expect(page.getByText(/公開しました。/u)).toBeVisible();

	await open(page, `/library/search?q=${encodeURIComponent('スクリプトなし試験')}`);
	await expect(page.getByRole('checkbox', { name: /^選ぶ/u })).toHaveCount(2);
	await open(page, `/library/${slug}`);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(/スクリプトなし試験報告書/u);
});

test('a file over the upload limit is refused by the server with the import’s message', async ({
	page,
	user
}) => {
	test.setTimeout(60_000);
	await signIn(page.context(), user, E2E.baseURL);
	const before = await importRows(user);
	await open(page, '/library/import');
	await page.getByLabel('報告書のファイル').setInputFiles({
		name: 'huge.txt',
		mimeType: 'text/plain',
		buffer: Buffer.alloc(21 * 1024 * 1024, 0x41)
	});
	await page.getByRole('button', { name: '読み込んで候補を出す' }).click();
	await expect(page.locator('body')).toHaveText(
		'ファイルが大きすぎます（上限 20 MB）。何も保存していません。'
	);
	expect(await importRows(user)).toBe(before);
});

async function curate(
	article: Locator,
	v: { title_ja: string; title_en: string; summary_ja: string; theme: string }
) {
	await article.getByLabel('採用', { exact: true }).check();
	await article.getByLabel('見出し（日本語）').fill(v.title_ja);
	await article.getByLabel('見出し（英語）').fill(v.title_en);
	await article.getByLabel('要約（日本語）').fill(v.summary_ja);
	await article.getByLabel('テーマ').selectOption({ label: v.theme });
	await article.getByRole('button', { name: 'この項目を保存' }).click();
	await expect(article.page().getByText('保存しました。')).toBeVisible();
}
