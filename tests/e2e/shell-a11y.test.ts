import { seriousViolations } from './a11y';
import { E2E } from './env';
import { expect, open, signIn, test } from './fixtures';

test.describe('A11Y-01 no serious or critical axe violations', () => {
	for (const path of ['/', '/login', '/register', '/library']) {
		test(`anonymous ${path}`, async ({ page }) => {
			await open(page, path);
			expect(await seriousViolations(page)).toEqual([]);
		});
	}

	for (const path of ['/', '/account', '/boards']) {
		test(`signed in ${path}`, async ({ page, user }) => {
			await signIn(page.context(), user, E2E.baseURL);
			await open(page, path);
			expect(await seriousViolations(page)).toEqual([]);
		});
	}

	test('a form showing errors, in English', async ({ page }) => {
		await page.context().addCookies([{ name: 'lang', value: 'en', url: E2E.baseURL }]);
		await open(page, '/register');
		await page.getByRole('button', { name: 'Create account' }).click();
		await expect(page.locator('#username-error')).toBeVisible();
		expect(await seriousViolations(page)).toEqual([]);
	});
});

test('keyboard: skip link, then every control of the sign-in form in order', async ({ page }) => {
	await open(page, '/login');
	await page.keyboard.press('Tab');
	await expect(page.getByRole('link', { name: '本文へ移動' })).toBeFocused();
	await page.keyboard.press('Enter');
	await page.keyboard.press('Tab');
	await expect(page.locator('#username')).toBeFocused();
	await page.keyboard.press('Tab');
	await expect(page.locator('#password')).toBeFocused();
	await page.keyboard.press('Tab');
	await expect(page.getByRole('main').getByRole('button', { name: 'ログイン' })).toBeFocused();
});

test('Japanese text renders with a CJK font, not tofu', async ({ page }) => {
	await open(page, '/');
	const family = await page.evaluate(() => getComputedStyle(document.body).fontFamily);
	expect(family).toContain('Noto Sans CJK JP');
	// A missing glyph renders as the same box for every character: distinct kanji must differ in width.
	const widths = await page.evaluate(() =>
		['寄', '合', '政', '策'].map((ch) => {
			const c = document.createElement('canvas').getContext('2d')!;
			c.font = '32px "Noto Sans CJK JP"';
			return c.measureText(ch).width;
		})
	);
	expect(widths.every((w) => w > 20)).toBe(true);
});
