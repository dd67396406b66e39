import { createUser, e2eDb, expect, open, test } from './fixtures';

/**
 * The account journey through the real forms. This file runs twice: with JavaScript (enhanced
 * forms) and without it (plain HTML posts).
 */
let seq = 0;
const fresh = (prefix: string) =>
	`${prefix}${Date.now().toString(36)}${++seq}${Math.floor(Math.random() * 1e4)}`;

async function register(
	page: import('@playwright/test').Page,
	o: { username: string; password: string; displayName?: string; sector?: string }
) {
	await open(page, '/register');
	await page.locator('#username').fill(o.username);
	await page.locator('#display_name').fill(o.displayName ?? '佐藤 一郎');
	await page.locator('#password').fill(o.password);
	await page.locator('#sector').selectOption(o.sector ?? 'government');
	await page.locator('#organisation').fill('経済産業省');
	await page.locator('#register-submit, form button[type=submit]').last().click();
}

test('register → sign out → sign in → change password, in Japanese', async ({ page }) => {
	const username = fresh('sato');
	await register(page, { username, password: 'sakura no hana ga saku' });
	await expect(page).toHaveURL('/');
	await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
	await expect(page.getByRole('link', { name: '佐藤 一郎' })).toBeVisible();

	await page.getByRole('button', { name: 'ログアウト' }).click();
	await expect(page.getByRole('banner').getByRole('link', { name: 'ログイン' })).toBeVisible();

	await open(page, '/login');
	await page.getByLabel('ユーザー名').fill(username.toUpperCase());
	await page.getByLabel('パスワード').fill('sakura no hana ga saku');
	await page.getByRole('button', { name: 'ログイン' }).click();
	await expect(page.getByRole('link', { name: '佐藤 一郎' })).toBeVisible();

	await open(page, '/account');
	await page.getByLabel('現在のパスワード').fill('sakura no hana ga saku');
	await page.getByLabel('新しいパスワード').fill('momiji ga akaku naru');
	await page.getByRole('button', { name: 'パスワードを変更' }).click();
	await expect(page.getByText('パスワードを変更しました')).toBeVisible();

	await page.getByRole('button', { name: 'ログアウト' }).click();
	await open(page, '/login');
	await page.getByLabel('ユーザー名').fill(username);
	await page.getByLabel('パスワード').fill('sakura no hana ga saku');
	await page.getByRole('button', { name: 'ログイン' }).click();
	await expect(page.getByRole('alert')).toHaveText(
		'ユーザー名またはパスワードが正しくありません。'
	);
	await page.getByLabel('パスワード').fill('momiji ga akaku naru');
	await page.getByRole('button', { name: 'ログイン' }).click();
	await expect(page.getByRole('link', { name: '佐藤 一郎' })).toBeVisible();
});

test('the same journey in English, chosen with the language switch and remembered', async ({
	page
}) => {
	const username = fresh('smith');
	await open(page, '/');
	await page.getByLabel('表示言語').selectOption('en');
	// Without JavaScript the switch is a plain form with its own button.
	const submit = page.getByRole('button', { name: '切り替え' });
	if (await submit.isVisible()) await submit.click();
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(
		'From policy reports to agreed actions'
	);

	await register(page, {
		username,
		password: 'maple leaves turn red',
		displayName: 'Jane Smith',
		sector: 'academia'
	});
	await expect(page.getByRole('link', { name: 'Jane Smith' })).toBeVisible();
	await page.getByRole('button', { name: 'Sign out' }).click();
	await open(page, '/login');
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	await page.getByLabel('Username').fill(username);
	await page.getByLabel('Password').fill('maple leaves turn red');
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.getByRole('link', { name: 'Jane Smith' })).toBeVisible();
	await open(page, '/account');
	await page.getByLabel('Current password').fill('maple leaves turn red');
	await page.getByLabel('New password').fill('cherry blossoms in april');
	await page.getByRole('button', { name: 'Change password' }).click();
	await expect(page.getByText('Password changed.')).toBeVisible();
});

test('errors appear next to their field in the user’s language and change nothing', async ({
	page
}) => {
	const username = fresh('err');
	await register(page, { username, password: 'short' });
	await expect(page.locator('#password-error')).toHaveText(
		'パスワードは 8 文字以上にしてください。'
	);
	await expect(page.locator('#password')).toHaveAttribute('aria-invalid', 'true');
	await expect(page.locator('#username')).toHaveValue(username);

	await register(page, { username, password: 'password123456' });
	await expect(page.locator('#password-error')).toContainText('よく使われていて推測されやすい');
	const rows = await e2eDb()
		.db.selectFrom('users')
		.select('id')
		.where('username_key', '=', username)
		.execute();
	expect(rows).toHaveLength(0);
});

test('AUTH-11 a username taken in another case is refused with a clear message', async ({
	page
}) => {
	const taken = await createUser(e2eDb().db);
	await register(page, {
		username: taken.username.toUpperCase(),
		password: 'a long and unusual passphrase'
	});
	await expect(page.locator('#username-error')).toHaveText(
		'このユーザー名は使えません。別の名前を選んでください。'
	);
});

test('AUTH-09 password fields: type=password, autocomplete set, paste allowed', async ({
	page
}) => {
	await open(page, '/login');
	await expect(page.locator('#password')).toHaveAttribute('type', 'password');
	await expect(page.locator('#password')).toHaveAttribute('autocomplete', 'current-password');
	await expect(page.locator('#username')).toHaveAttribute('autocomplete', 'username');
	await open(page, '/register');
	await expect(page.locator('#password')).toHaveAttribute('autocomplete', 'new-password');
	await expect(page.locator('#password')).not.toHaveAttribute('onpaste', /./u);
	await page.locator('#password').focus();
	await page.keyboard.insertText('pasted passphrase 日本語');
	await expect(page.locator('#password')).toHaveValue('pasted passphrase 日本語');
});
