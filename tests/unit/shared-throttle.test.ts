import { afterEach, describe, expect, test } from 'vitest';
import { SharedBackoff, SharedTokenBucket } from '../../src/lib/server/auth/shared-throttle';
import { createAuthThrottles } from '../../src/lib/server/auth/throttle';
import { pgDb } from '../../src/lib/server/db/postgres';
import { exportWait } from '../../src/lib/server/exports/throttle';
import { tempDb, TEST_DIALECT, type TempDb } from '../helpers/db';

/**
 * Issue 15, layer 3: on PostgreSQL the sign-in, registration, invite and export throttles keep
 * their state in the database, so N processes (here: N pools on one database, as N processes
 * have) together allow what one process allows.
 */
describe.skipIf(TEST_DIALECT !== 'postgres')('throttles shared by processes (PostgreSQL)', () => {
	let t: TempDb;
	const closers: (() => Promise<void>)[] = [];
	afterEach(async () => {
		for (const c of closers.splice(0)) await c();
		await t.cleanup();
	});

	/** `n` processes' throttles on one database, each with its own pool. */
	async function processes(n: number) {
		t = await tempDb();
		return Array.from({ length: n }, () => {
			const h = pgDb(t.path, { poolSize: 4, statementTimeoutMs: 30_000, connectRetryMs: 0 });
			closers.push(() => h.db.destroy());
			return { db: h.db, database: h, throttles: createAuthThrottles(1, h.db) };
		});
	}

	test('AUTH-06 the shared bucket behaves as the in-memory one: a burst, then its rate', async () => {
		const [p] = await processes(1);
		const bucket = new SharedTokenBucket(p!.db, 'test', 3, 1);
		const now = 5_000;
		const first = [];
		for (let i = 0; i < 3; i++) first.push(await bucket.take('10.0.0.1', now));
		expect(first).toEqual([0, 0, 0]);
		expect(await bucket.take('10.0.0.1', now)).toBe(1000);
		expect(await bucket.take('10.0.0.2', now)).toBe(0);
		expect(await bucket.take('10.0.0.1', now + 1000)).toBe(0);
		expect(await bucket.take('10.0.0.1', now + 1000)).toBe(1000);
	});

	test('AUTH-06 61 sign-in attempts from one address spread over three processes: the 61st is throttled, as on one', async () => {
		const ps = await processes(3);
		const now = 1_000_000;
		// All at once, round robin, as a load balancer would spread them.
		const waits = await Promise.all(
			Array.from({ length: 61 }, (_, i) => ps[i % 3]!.throttles.loginIp.take('198.51.100.7', now))
		);
		expect(waits.filter((w) => w === 0)).toHaveLength(60);
		expect(waits.filter((w) => w > 0)).toEqual([500]);
		// Another address is not affected; the refused one may try again once a token is back.
		expect(await ps[1]!.throttles.loginIp.take('198.51.100.8', now)).toBe(0);
		expect(await ps[2]!.throttles.loginIp.take('198.51.100.7', now + 500)).toBe(0);
	});

	test('AUTH-06 an account’s backoff counts failures made through every process', async () => {
		const ps = await processes(3);
		let now = 2_000_000;
		const key = 'alice';
		await ps[0]!.throttles.loginAccount.fail(key, now);
		expect(await ps[1]!.throttles.loginAccount.wait(key, now)).toBe(0);
		await ps[1]!.throttles.loginAccount.fail(key, now);
		expect(await ps[2]!.throttles.loginAccount.wait(key, now)).toBe(1000);
		now += 1000;
		await ps[2]!.throttles.loginAccount.fail(key, now);
		expect(await ps[0]!.throttles.loginAccount.wait(key, now)).toBe(2000);
		// Concurrent failures are each counted: 3 + 20 = 23, past the end of the schedule.
		await Promise.all(
			Array.from({ length: 20 }, (_, i) => ps[i % 3]!.throttles.loginAccount.fail(key, now))
		);
		expect(await ps[1]!.throttles.loginAccount.wait(key, now)).toBe(300_000);
		await ps[0]!.throttles.loginAccount.reset(key);
		expect(await ps[2]!.throttles.loginAccount.wait(key, now)).toBe(0);
	});

	test('a scaled shared backoff keeps the schedule, only faster', async () => {
		const [p] = await processes(1);
		const b = new SharedBackoff(p!.db, 'scaled', [0, 10], 0.01);
		await b.fail('k', 0);
		await b.fail('k', 0);
		expect(await b.wait('k', 0)).toBe(100);
	});

	test('EXP-07 exports: a burst of 30 per user across all processes, then one a second', async () => {
		const ps = await processes(3);
		const now = 3_000_000;
		const apps = ps.map((p) => ({ ...p, now: () => now }));
		const waits = await Promise.all(
			Array.from({ length: 31 }, (_, i) => exportWait(apps[i % 3]!, 42))
		);
		expect(waits.filter((w) => w === 0)).toHaveLength(30);
		expect(waits.filter((w) => w > 0)).toEqual([1000]);
		expect(await exportWait(apps[0]!, 43)).toBe(0);
	});
});
