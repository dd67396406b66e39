import { request as pwRequest } from '@playwright/test';
import { join } from 'node:path';
import { createDb } from '../../src/lib/server/db/connect';
import { createUser } from '../helpers/users';
import { E2E } from './env';
import { expect, test } from './fixtures';

/**
 * Throttling runs against its own server and database (the `throttle` project), so exhausting
 * the per-IP budget here cannot slow down the rest of the suite.
 */
const db = () => createDb(join(E2E.dataDir, 'throttle.db')).db;
const client = () =>
	pwRequest.newContext({
		baseURL: E2E.throttleURL,
		extraHTTPHeaders: { Origin: E2E.throttleURL, Accept: 'text/html' }
	});

test('AUTH-06 repeated failures get 429 with Retry-After; the right password works after the wait', async () => {
	const u = await createUser(db());
	const c = await client();
	const login = (password: string) =>
		c.post('/login', { form: { username: u.username, password }, maxRedirects: 0 });
	expect((await login('wrong one')).status()).toBe(400);
	expect((await login('wrong two')).status()).toBe(400);
	const blocked = await login(u.password);
	expect(blocked.status()).toBe(429);
	const retry = Number(blocked.headers()['retry-after']);
	expect(retry).toBeGreaterThanOrEqual(1);
	expect(await blocked.text()).toContain('試行回数が多すぎます');
	await new Promise((r) => setTimeout(r, retry * 1000 + 100));
	expect((await login(u.password)).status()).toBe(303);
});

test('AUTH-06 AUTH-07 the per-IP bucket throttles many accounts from one address, spoofed XFF or not', async () => {
	const c = await client();
	// All at once, so the bucket's refill (two a second) cannot keep up whatever the machine's speed.
	const started = performance.now();
	const statuses = await Promise.all(
		Array.from({ length: 80 }, (_, i) =>
			c
				.post('/login', {
					form: { username: `nobody${i}`, password: 'wrong wrong wrong' },
					headers: { 'X-Forwarded-For': `9.9.9.${i}` },
					maxRedirects: 0
				})
				.then((r) => r.status())
		)
	);
	const seconds = (performance.now() - started) / 1000;
	const throttled = statuses.filter((s) => s === 429).length;
	expect(throttled).toBeGreaterThan(0);
	// At most the burst of 60 plus the refill of two a second while the requests were arriving.
	expect(80 - throttled).toBeLessThanOrEqual(60 + Math.ceil(2 * seconds) + 1);
});

test('INV-07 opening many invite links from one address is throttled', async () => {
	const c = await client();
	const statuses: number[] = [];
	for (let i = 0; i < 40; i++) {
		const token = (Math.random().toString(32).slice(2) + 'a'.repeat(32))
			.replace(/[^a-z2-7]/gu, 'a')
			.slice(0, 32);
		statuses.push((await c.get(`/invite/${token}`, { maxRedirects: 0 })).status());
	}
	expect(statuses.slice(0, 20).every((s) => s === 404)).toBe(true);
	expect(statuses).toContain(429);
});
