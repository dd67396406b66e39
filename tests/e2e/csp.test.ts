import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, open, test } from './fixtures';

/**
 * HDR-01: the CSP collector in `fixtures.ts` fails any test whose pages break the policy. These
 * tests show that it sees what it must (so a quiet run means something) and that every end-to-end
 * file goes through it.
 */
test('HDR-01 the CSP collector sees an inline script the policy blocks', async ({ page, csp }) => {
	await open(page, '/library');
	expect(csp.violations).toEqual([]);
	await page.evaluate(() => {
		const s = document.createElement('script');
		s.textContent = 'window.__cspProbe = 1';
		document.head.append(s);
	});
	await expect.poll(() => csp.violations.length).toBeGreaterThan(0);
	const [v] = csp.take();
	expect(v?.directive).toBe('script-src-elem');
	expect(v?.blocked).toBe('inline');
	expect(v?.page).toContain('/library');
	// The script did not run.
	expect(await page.evaluate(() => (window as { __cspProbe?: number }).__cspProbe)).toBeUndefined();
});

test('HDR-01 the collector also watches contexts a test opens itself', async ({ browser, csp }) => {
	const context = await browser.newContext();
	const page = await context.newPage();
	await open(page, '/');
	// An inline event handler: refused by `script-src` when the handler is compiled.
	await page.evaluate(() => document.body.setAttribute('onclick', 'window.__cspProbe = 1'));
	await page.locator('body').click({ position: { x: 1, y: 1 } });
	await expect.poll(() => csp.violations.map((v) => v.directive)).toContain('script-src-attr');
	expect(csp.take().every((v) => v.blocked === 'inline')).toBe(true);
	await context.close();
});

test('HDR-01 every end-to-end test file takes `test` from the fixtures, so every journey is watched', () => {
	const dir = join(process.cwd(), 'tests/e2e');
	const files = readdirSync(dir).filter((f) => f.endsWith('.test.ts'));
	expect(files.length).toBeGreaterThan(10);
	const outside = files.filter(
		(f) =>
			!/import\s*\{[^}]*\btest\b[^}]*\}\s*from\s*'\.\/fixtures'/u.test(
				readFileSync(join(dir, f), 'utf8')
			)
	);
	expect(outside).toEqual([]);
});
