import { E2E } from './env';
import { createUser, e2eDb, expect, signIn, test } from './fixtures';
import { TITLES, voteBoard } from './votes-helpers';

/**
 * Voting needs no JavaScript: every control is a form post the server validates. (Live
 * progress is the only part that needs it; without it the numbers are those of the last load.)
 */
test('a participant votes without JavaScript: dots one by one, then a whole ranking; in English too', async ({
	browser
}) => {
	const db = e2eDb().db;
	const fac = await createUser(db, { displayName: 'ファシリテーター', sector: 'government' });
	const p = await createUser(db, { displayName: 'JS なし', sector: 'finance' });
	const board = await voteBoard(fac, [[p, 'participant']]);

	const facContext = await browser.newContext({ javaScriptEnabled: false });
	await signIn(facContext, fac, E2E.baseURL);
	const fp = await facContext.newPage();
	await fp.goto(`/boards/${board}/votes`);
	await fp.getByLabel('投票の名前').fill('JS なしのドット投票');
	await fp.getByLabel('ドットの持ち点').fill('3');
	await fp.getByRole('button', { name: '投票を開始する' }).click();
	await expect(fp).toHaveURL(/\/votes\/\d+$/u);
	const dots = fp.url();

	const context = await browser.newContext({ javaScriptEnabled: false });
	await signIn(context, p, E2E.baseURL);
	const page = await context.newPage();
	await page.goto(dots);
	await page.getByRole('button', { name: `「${TITLES[1]}」にドットを 1 つ置く` }).click();
	await expect(page.getByText('残りのドット: 2 / 3')).toBeVisible();
	await expect(page.getByTestId('progress')).toHaveText('1 人中 1 人が投票済み');

	await fp.goto(`/boards/${board}/votes`);
	await fp.getByLabel('投票の名前').fill('JS なしの順位づけ');
	await fp.getByRole('radio', { name: /^順位づけ/u }).check();
	await fp.getByRole('button', { name: '投票を開始する' }).click();
	await expect(fp).toHaveURL(/\/votes\/\d+$/u);
	await page.goto(fp.url());
	await page.getByLabel(`「${TITLES[3]}」の順位`).selectOption('1 位');
	await page.getByLabel(`「${TITLES[0]}」の順位`).selectOption('2 位');
	await page.getByRole('button', { name: '投票する', exact: true }).click();
	await expect(page.getByRole('status').filter({ hasText: '投票を記録しました' })).toBeVisible();
	await expect(page.getByLabel(`「${TITLES[3]}」の順位`)).toHaveValue('1');

	// The same page in English for an English browser.
	const en = await browser.newContext({ javaScriptEnabled: false, locale: 'en-US' });
	await signIn(en, p, E2E.baseURL);
	const enPage = await en.newPage();
	await enPage.goto(fp.url());
	await expect(enPage.getByRole('heading', { name: 'Your ballot' })).toBeVisible();
	await expect(enPage.getByText('Ranking: top 5 (Borda count)')).toBeVisible();
	await expect(enPage.getByLabel(`Rank of “${TITLES[3]}”`)).toHaveValue('1');
	await en.close();
	await context.close();
	await facContext.close();
});
