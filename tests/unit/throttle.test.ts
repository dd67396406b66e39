import { describe, expect, test } from 'vitest';
import { Backoff, TokenBucket } from '../../src/lib/server/auth/throttle';

describe('throttles', () => {
	test('AUTH-06 per-account backoff doubles after each failure and resets on success', () => {
		const b = new Backoff([0, 1, 2, 4, 8, 16, 30, 60, 180, 300]);
		let now = 1_000_000;
		b.fail('alice', now);
		expect(b.wait('alice', now)).toBe(0);
		b.fail('alice', now);
		expect(b.wait('alice', now)).toBe(1000);
		now += 1000;
		expect(b.wait('alice', now)).toBe(0);
		b.fail('alice', now);
		expect(b.wait('alice', now)).toBe(2000);
		for (let i = 0; i < 20; i++) b.fail('alice', now);
		expect(b.wait('alice', now)).toBe(300_000);
		// The owner is never locked out for good: once the wait passes, they may try again.
		expect(b.wait('alice', now + 300_000)).toBe(0);
		b.reset('alice');
		expect(b.wait('alice', now)).toBe(0);
		expect(b.wait('bob', now)).toBe(0);
	});

	test('AUTH-06 the per-IP bucket allows a burst, then refills at its rate', () => {
		const bucket = new TokenBucket(3, 1);
		const now = 5_000;
		expect([0, 1, 2].map(() => bucket.take('10.0.0.1', now))).toEqual([0, 0, 0]);
		expect(bucket.take('10.0.0.1', now)).toBe(1000);
		expect(bucket.take('10.0.0.2', now)).toBe(0);
		expect(bucket.take('10.0.0.1', now + 1000)).toBe(0);
	});

	test('a scaled throttle keeps the schedule, only faster (used by tests, never by default)', () => {
		const b = new Backoff([0, 10], 0.01);
		b.fail('k', 0);
		b.fail('k', 0);
		expect(b.wait('k', 0)).toBe(100);
	});
});
