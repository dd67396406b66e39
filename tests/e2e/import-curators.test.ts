import { E2E } from './env';
import { createUser, e2eDb, expect, open, postForm, signIn, test } from './fixtures';

/**
 * Issue 17: a draft's curators. The owner adds one by user name and removes them again; the
 * removed curator loses the draft on their next request; another curator may not remove anyone,
 * and the last curator stays.
 */

const TEXT = ['# 試験計画', '## 現状', '担い手が不足している。'].join('\n');

test('the owner adds and removes a curator, who loses the draft at once; the last one stays', async ({
	browser,
	page,
	user
}) => {
	test.setTimeout(90_000);
	const ben = await createUser(e2eDb().db, { displayName: '担当 ベン' });
	await signIn(page.context(), user, E2E.baseURL);
	await open(page, '/library/import');
	await page
		.getByLabel('報告書のファイル')
		.setInputFiles({ name: 'curators.md', mimeType: 'text/markdown', buffer: Buffer.from(TEXT) });
	await page.getByRole('button', { name: '読み込んで候補を出す' }).click();
	await expect(page).toHaveURL(/\/library\/import\/[a-z2-7]+$/u);
	const draft = new URL(page.url()).pathname;
	const curators = page.getByRole('region', { name: '担当者' });

	// Alone on the draft: no way to remove oneself, and a forged removal is refused.
	await expect(curators.getByRole('button', { name: /を担当から外す$/u })).toHaveCount(0);
	const last = await postForm(page, `${draft}?/removeCurator`, { user: String(user.id) });
	expect(last.status()).toBe(400);
	expect(await last.text()).toContain('最後の担当者は外せません');

	await curators.getByLabel('担当者を追加（ユーザー名）').fill(ben.username);
	await curators.getByRole('button', { name: '追加', exact: true }).click();
	await expect(page.getByText('保存しました。')).toBeVisible();
	await expect(curators.getByRole('listitem')).toHaveCount(2);

	// Ben curates, but only the owner removes curators.
	const benContext = await browser.newContext();
	const benPage = await benContext.newPage();
	await signIn(benContext, ben, E2E.baseURL);
	await open(benPage, draft);
	await expect(benPage.getByRole('heading', { level: 1 })).toHaveText(/取り込みの確認/u);
	await expect(
		benPage
			.getByRole('region', { name: '担当者' })
			.getByRole('button', { name: /を担当から外す$/u })
	).toHaveCount(0);
	const forged = await postForm(benPage, `${draft}?/removeCurator`, { user: String(user.id) });
	expect(forged.status()).toBe(403);
	expect(await forged.text()).toContain('担当者を外せるのは、この下書きを取り込んだ人と管理者です');

	await curators.getByRole('button', { name: '担当 ベン を担当から外す' }).click();
	await expect(page.getByText('保存しました。')).toBeVisible();
	await expect(curators.getByRole('listitem')).toHaveCount(1);
	await expect(curators.getByRole('listitem')).not.toContainText('担当 ベン');

	// Removed: the draft is gone for Ben, to reads and writes alike, and from his list.
	expect((await benPage.goto(draft))!.status()).toBe(404);
	const write = await postForm(benPage, `${draft}?/meta`, { version: '1' });
	expect(write.status()).toBe(404);
	await open(benPage, '/library/import');
	await expect(benPage.locator(`a[href="${draft}"]`)).toHaveCount(0);
	await benContext.close();
});
