import { request as pwRequest, type APIRequestContext } from '@playwright/test';
import { validateSessionToken } from '../../src/lib/server/auth/sessions';
import { E2E } from './env';
import { createUser, e2eDb, expect, open, SESSION_COOKIE, signIn, test } from './fixtures';

/** A cookie-less client, as a script or another browser would be. */
async function client(): Promise<APIRequestContext> {
	return pwRequest.newContext({
		baseURL: E2E.baseURL,
		// A browser's form post: without `Accept: text/html` SvelteKit answers actions as JSON.
		extraHTTPHeaders: { Origin: E2E.baseURL, Accept: 'text/html' }
	});
}

const regForm = (username: string, password: string) => ({
	username,
	display_name: '試験 太郎',
	password,
	sector: 'civil_society',
	organisation: 'NPO 法人テスト'
});

let n = 0;
const name = (p: string) => `${p}${Date.now().toString(36)}${++n}`;

test('AUTH-02 lengths 7/8/64/129/10000, spaces kept, emoji allowed; the exact string signs in', async () => {
	const cases: [string, number][] = [
		['a1b2c3d', 400],
		['kumo7Ame', 303],
		['kT9#'.repeat(16), 303],
		['kT9#x'.repeat(25) + 'abcd', 400],
		['x'.repeat(10_000), 400],
		['  pass with spaces  ', 303],
		['🌸🍵🗾🎋🏯🌊🗻🔑'.repeat(8), 303]
	];
	for (const [password, status] of cases) {
		const c = await client();
		const username = name('len');
		const r = await c.post('/register', { form: regForm(username, password), maxRedirects: 0 });
		expect(r.status(), `${[...password].length} characters`).toBe(status);
		await c.dispose();
		if (status !== 303) continue;
		const login = await client();
		const ok = await login.post('/login', { form: { username, password }, maxRedirects: 0 });
		expect(ok.status()).toBe(303);
		if (password !== password.trim()) {
			const trimmed = await client();
			const bad = await trimmed.post('/login', {
				form: { username, password: password.trim() },
				maxRedirects: 0
			});
			expect(bad.status()).toBe(400);
		}
	}
});

test('AUTH-03 common passwords are refused at registration and at change', async ({
	page,
	user
}) => {
	for (const p of ['password123456', 'qwertyuiopasdf']) {
		const c = await client();
		const r = await c.post('/register', { form: regForm(name('common'), p), maxRedirects: 0 });
		expect(r.status()).toBe(400);
		expect(await r.text()).toContain('よく使われていて推測されやすいパスワードです');
	}
	await signIn(page.context(), user, E2E.baseURL);
	await open(page, '/account');
	await page.getByLabel('現在のパスワード').fill(user.password);
	await page.getByLabel('新しいパスワード').fill('qwertyuiopasdf');
	await page.getByRole('button', { name: 'パスワードを変更' }).click();
	await expect(page.locator('#new_password-error')).toContainText('よく使われていて');
});

test('AUTH-04 a wrong current password changes nothing', async ({ page, user }) => {
	const before = await e2eDb()
		.db.selectFrom('users')
		.select('password_hash')
		.where('id', '=', user.id)
		.executeTakeFirstOrThrow();
	await signIn(page.context(), user, E2E.baseURL);
	await open(page, '/account');
	await page.getByLabel('現在のパスワード').fill('not my password at all');
	await page.getByLabel('新しいパスワード').fill('a perfectly fine new one');
	await page.getByRole('button', { name: 'パスワードを変更' }).click();
	await expect(page.locator('#current_password-error')).toHaveText(
		'現在のパスワードが正しくありません。'
	);
	const after = await e2eDb()
		.db.selectFrom('users')
		.select('password_hash')
		.where('id', '=', user.id)
		.executeTakeFirstOrThrow();
	expect(after.password_hash).toBe(before.password_hash);
});

test('AUTH-05 unknown user and wrong password get the same answer', async () => {
	const suffix = Date.now().toString(36);
	await createUser(e2eDb().db, { username: `known-${suffix}` });
	const attempt = async (username: string) => {
		const c = await client();
		const r = await c.post('/login', {
			form: { username, password: 'wrong wrong wrong' },
			maxRedirects: 0
		});
		const body = (await r.text())
			.replaceAll(username, 'USER')
			.replace(/nonce-[A-Za-z0-9+/=]+/gu, 'nonce')
			.replace(/nonce="[^"]+"/gu, 'nonce');
		const headers = Object.keys(r.headers())
			.filter((h) => h !== 'date')
			.sort();
		return { status: r.status(), body, headers };
	};
	const known = await attempt(`known-${suffix}`);
	const unknown = await attempt(`ghost-${suffix}`);
	expect(unknown.status).toBe(400);
	expect(unknown).toEqual(known);
});

test('AUTH-07 a spoofed X-Forwarded-For does not escape the per-account backoff', async () => {
	const u = await createUser(e2eDb().db);
	const statuses: number[] = [];
	for (let i = 0; i < 4; i++) {
		const c = await client();
		const r = await c.post('/login', {
			form: { username: u.username, password: 'wrong wrong wrong' },
			headers: { 'X-Forwarded-For': `1.2.3.${i}` },
			maxRedirects: 0
		});
		statuses.push(r.status());
	}
	expect(statuses).toContain(429);
});

test('AUTH-08 a 1 MiB password is refused before it is read or hashed', async () => {
	const c = await client();
	const start = performance.now();
	const r = await c.post('/login', {
		form: { username: 'someone', password: 'x'.repeat(1024 * 1024) },
		maxRedirects: 0
	});
	const ms = performance.now() - start;
	expect(r.status()).toBe(413);
	expect(ms).toBeLessThan(1000);
});

test('AUTH-10 no default accounts and no demo routes', async () => {
	const c = await client();
	const defaults: [string, string][] = [
		['admin', 'admin'],
		['admin', 'password'],
		['root', 'root']
	];
	for (const [username, password] of defaults) {
		const r = await c.post('/login', { form: { username, password }, maxRedirects: 0 });
		expect(r.status()).not.toBe(303);
	}
	expect((await c.get('/demo/lucia')).status()).toBe(404);
	expect((await c.get('/demo')).status()).toBe(404);
});

test('SESS-04 the session cookie is HttpOnly, Secure, SameSite=Lax, Path=/, with an expiry', async ({
	page,
	user
}) => {
	await open(page, '/login');
	await page.getByLabel('ユーザー名').fill(user.username);
	await page.getByLabel('パスワード').fill(user.password);
	await page.getByRole('button', { name: 'ログイン' }).click();
	await expect(page.getByRole('link', { name: user.displayName })).toBeVisible();
	const cookie = (await page.context().cookies()).find((c) => c.name === SESSION_COOKIE);
	expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Lax', path: '/' });
	expect(cookie!.expires * 1000).toBeGreaterThan(Date.now() + 29 * 24 * 3600 * 1000);
});

test('SESS-05 signing in issues a new token and ends whatever session the browser brought', async ({
	page,
	user
}) => {
	const attacker = await createUser(e2eDb().db);
	// An attacker's valid token planted in the victim's browser (session fixation).
	const planted = await signIn(page.context(), attacker, E2E.baseURL);
	await open(page, '/logout');
	await page.getByRole('main').getByRole('button', { name: 'ログアウト' }).click();
	expect(await validateSessionToken(e2eDb().db, planted, Date.now())).toBeNull();

	const second = await signIn(page.context(), attacker, E2E.baseURL);
	await open(page, '/login');
	await expect(page).toHaveURL('/');
	await page.context().addCookies([
		{
			name: SESSION_COOKIE,
			value: second,
			domain: 'localhost',
			path: '/',
			secure: true,
			httpOnly: true
		}
	]);
	// The login page is reachable directly when the planted session is not the victim's own.
	await page.goto('/login');
	await page.context().clearCookies();
	await page.context().addCookies([
		{
			name: SESSION_COOKIE,
			value: second,
			domain: 'localhost',
			path: '/',
			secure: true,
			httpOnly: true
		}
	]);
	const r = await page.evaluate(
		async ({ username, password }) => {
			const body = new URLSearchParams({ username, password });
			const res = await fetch('/login', {
				method: 'POST',
				body,
				headers: { Accept: 'text/html' },
				redirect: 'manual'
			});
			return res.type === 'opaqueredirect' ? 303 : res.status;
		},
		{ username: user.username, password: user.password }
	);
	expect(r).toBe(303);
	const now = (await page.context().cookies()).find((c) => c.name === SESSION_COOKIE)?.value;
	expect(now).toBeTruthy();
	expect(now).not.toBe(second);
	expect(await validateSessionToken(e2eDb().db, second, Date.now())).toBeNull();
	expect((await validateSessionToken(e2eDb().db, now!, Date.now()))?.user.id).toBe(user.id);
});

test('SESS-07 after sign-out the old cookie no longer works', async ({ page, user }) => {
	const token = await signIn(page.context(), user, E2E.baseURL);
	await open(page, '/account');
	await page.getByRole('button', { name: 'ログアウト' }).click();
	await expect(page.getByRole('banner').getByRole('link', { name: 'ログイン' })).toBeVisible();
	const replay = await pwRequest.newContext({
		baseURL: E2E.baseURL,
		extraHTTPHeaders: { Cookie: `${SESSION_COOKIE}=${token}`, Accept: 'text/html' }
	});
	const r = await replay.get('/account', { maxRedirects: 0 });
	expect(r.status()).toBe(303);
	expect(r.headers().location).toMatch(/^\/login/u);
});

test('SESS-08 changing the password signs out every other session, not this one', async ({
	browser,
	user
}) => {
	const a = await browser.newContext();
	const b = await browser.newContext();
	await signIn(a, user, E2E.baseURL);
	await signIn(b, user, E2E.baseURL);
	const pa = await a.newPage();
	const pb = await b.newPage();
	await open(pb, '/account');
	await expect(pb.getByRole('heading', { name: 'アカウント', exact: true })).toBeVisible();

	await open(pa, '/account');
	await pa.getByLabel('現在のパスワード').fill(user.password);
	await pa.getByLabel('新しいパスワード').fill('a completely new passphrase');
	await pa.getByRole('button', { name: 'パスワードを変更' }).click();
	await expect(pa.getByText('パスワードを変更しました')).toBeVisible();

	await pb.reload();
	await expect(pb).toHaveURL(/\/login/u);
	await open(pa, '/account');
	await expect(pa.getByRole('heading', { name: 'アカウント', exact: true })).toBeVisible();
	await a.close();
	await b.close();
});

test('SESS-11 a session revoked from the account page is really gone', async ({
	browser,
	user
}) => {
	const a = await browser.newContext();
	const b = await browser.newContext();
	await signIn(a, user, E2E.baseURL);
	const tokenB = await signIn(b, user, E2E.baseURL);
	const pa = await a.newPage();
	await open(pa, '/account');
	await expect(pa.getByText('この端末', { exact: true })).toBeVisible();
	await pa.getByRole('button', { name: 'このセッションを終了' }).first().click();
	await expect(pa.getByText('セッションを終了しました。')).toBeVisible();
	expect(await validateSessionToken(e2eDb().db, tokenB, Date.now())).toBeNull();
	const pb = await b.newPage();
	await pb.goto('/account');
	await expect(pb).toHaveURL(/\/login/u);
	await a.close();
	await b.close();
});

test('CSRF-01 CSRF-02 cross-site form posts are refused whatever the content type', async ({
	user
}) => {
	const evil = await pwRequest.newContext({
		baseURL: E2E.baseURL,
		extraHTTPHeaders: { Accept: 'text/html' }
	});
	const attempts: Parameters<typeof evil.post>[1][] = [
		{
			headers: { Origin: 'https://evil.example' },
			form: { username: user.username, password: user.password }
		},
		{
			headers: { Origin: 'https://evil.example', 'Content-Type': 'TEXT/PLAIN' },
			data: `username=${user.username}`
		},
		{
			headers: { Origin: 'https://evil.example' },
			multipart: { username: user.username, password: user.password }
		},
		{
			headers: { 'Sec-Fetch-Site': 'cross-site', Origin: E2E.baseURL },
			form: { username: user.username, password: user.password }
		},
		{ headers: {}, form: { username: user.username, password: user.password } }
	];
	const before = await e2eDb()
		.db.selectFrom('sessions')
		.select('id')
		.where('user_id', '=', user.id)
		.execute();
	for (const a of attempts) {
		const r = await evil.post('/login', { ...a, maxRedirects: 0 });
		expect(r.status()).toBe(403);
	}
	const after = await e2eDb()
		.db.selectFrom('sessions')
		.select('id')
		.where('user_id', '=', user.id)
		.execute();
	expect(after).toEqual(before);
});

test('CSRF-03 GET never signs out', async ({ page, user }) => {
	await signIn(page.context(), user, E2E.baseURL);
	await open(page, '/logout');
	await open(page, '/lang');
	await open(page, '/account');
	await expect(page.getByRole('heading', { name: 'アカウント', exact: true })).toBeVisible();
});

test('INP-07 sign-in only follows same-origin paths', async () => {
	const u = await createUser(e2eDb().db);
	for (const target of [
		'//evil.example',
		'/\\evil.example',
		'https://evil.example/x',
		'javascript:alert(1)'
	]) {
		const c = await client();
		const r = await c.post('/login', {
			form: { username: u.username, password: u.password, redirectTo: target },
			maxRedirects: 0
		});
		expect(r.status()).toBe(303);
		expect(r.headers().location).toBe('/');
	}
});

test('AC-01 pages that need an account send anonymous visitors to sign in', async () => {
	const c = await client();
	for (const path of ['/account', '/boards']) {
		const r = await c.get(path, { maxRedirects: 0 });
		expect(r.status()).toBe(303);
		expect(r.headers().location).toBe(`/login?redirectTo=${encodeURIComponent(path)}`);
	}
	const action = await c.post('/account?/profile', {
		form: { display_name: 'x', sector: 'media', organisation: 'y' },
		maxRedirects: 0
	});
	expect([303, 401, 403]).toContain(action.status());
});

test('HDR-01 HDR-02 HDR-04 security headers on pages, errors and health; TRACE refused', async () => {
	const c = await client();
	for (const path of ['/', '/login', '/no-such-page']) {
		const r = await c.get(path);
		const h = r.headers();
		expect(h['content-security-policy']).toContain("default-src 'self'");
		expect(h['content-security-policy']).toContain("object-src 'none'");
		expect(h['content-security-policy']).toContain("frame-ancestors 'none'");
		expect(h['content-security-policy']).toContain("base-uri 'none'");
		expect(h['content-security-policy']).toContain("form-action 'self'");
		expect(h['x-content-type-options']).toBe('nosniff');
		expect(h['referrer-policy']).toBe('strict-origin-when-cross-origin');
		expect(h['content-type']).toBe('text/html; charset=utf-8');
	}
	const health = await c.get('/healthz');
	expect(health.headers()['content-type']).toBe('text/plain; charset=utf-8');
	expect((await c.fetch('/', { method: 'TRACE' })).status()).toBe(405);
});

test('HDR-03 error pages show no internals', async () => {
	const c = await client();
	const r = await c.get('/library/../../etc/passwd');
	const body = await r.text();
	for (const leak of ['at ', '.ts:', 'SQLITE', 'node_modules']) expect(body).not.toContain(leak);
});
