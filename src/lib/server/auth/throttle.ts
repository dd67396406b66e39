import type { Db } from '../db/connect';
import { SharedBackoff, SharedTokenBucket } from './shared-throttle';

/**
 * Brute-force throttles (AUTH-06). In this process's memory on SQLite (one process); on
 * PostgreSQL in the database (shared-throttle.ts), shared by every process, so spreading
 * attempts over processes behind a load balancer does not multiply the allowance. Callers
 * `await` every step: the shared versions answer asynchronously.
 */

/** A per-key exponential backoff: Backoff here, SharedBackoff on PostgreSQL. */
export interface BackoffThrottle {
	/** Milliseconds until `key` may try again; 0 when it may try now. */
	wait(key: string, now: number): number | Promise<number>;
	fail(key: string, now: number): void | Promise<void>;
	reset(key: string): void | Promise<void>;
}

/** A per-key token bucket: TokenBucket here, SharedTokenBucket on PostgreSQL. */
export interface BucketThrottle {
	/** Takes one token; 0 on success, else the milliseconds until one is available. */
	take(key: string, now: number): number | Promise<number>;
}

/**
 * Exponential backoff per key (an account): after the n-th consecutive failure the key is locked
 * for `schedule[n]` seconds. Success resets it, so the right password works once the wait passes
 * and an attacker can never lock the owner out for good.
 */
export class Backoff implements BackoffThrottle {
	readonly #schedule: readonly number[];
	readonly #scale: number;
	readonly #state = new Map<string, { failures: number; until: number }>();
	/** Bounds memory under a flood of distinct keys; the oldest entries go first. */
	readonly #maxKeys = 50_000;

	constructor(scheduleSeconds: readonly number[], scale = 1) {
		this.#schedule = scheduleSeconds;
		this.#scale = scale;
	}

	/** Milliseconds until `key` may try again; 0 when it may try now. */
	wait(key: string, now: number): number {
		const s = this.#state.get(key);
		return s ? Math.max(0, s.until - now) : 0;
	}

	fail(key: string, now: number): void {
		const s = this.#state.get(key) ?? { failures: 0, until: 0 };
		this.#state.delete(key);
		const step = this.#schedule[Math.min(s.failures, this.#schedule.length - 1)] ?? 0;
		s.failures += 1;
		s.until = now + step * 1000 * this.#scale;
		this.#state.set(key, s);
		if (this.#state.size > this.#maxKeys) {
			const oldest = this.#state.keys().next().value;
			if (oldest !== undefined) this.#state.delete(oldest);
		}
	}

	reset(key: string): void {
		this.#state.delete(key);
	}
}

/** A token bucket per key (an IP address): `capacity` requests, refilled at `perSecond`. */
export class TokenBucket implements BucketThrottle {
	readonly #capacity: number;
	readonly #perMs: number;
	readonly #buckets = new Map<string, { tokens: number; at: number }>();
	readonly #maxKeys = 50_000;

	constructor(capacity: number, perSecond: number, scale = 1) {
		this.#capacity = capacity;
		this.#perMs = perSecond / 1000 / scale;
	}

	/** Takes one token; returns 0 on success, else the milliseconds until one is available. */
	take(key: string, now: number): number {
		const b = this.#buckets.get(key) ?? { tokens: this.#capacity, at: now };
		this.#buckets.delete(key);
		b.tokens = Math.min(this.#capacity, b.tokens + (now - b.at) * this.#perMs);
		b.at = now;
		this.#buckets.set(key, b);
		if (this.#buckets.size > this.#maxKeys) {
			const oldest = this.#buckets.keys().next().value;
			if (oldest !== undefined) this.#buckets.delete(oldest);
		}
		if (b.tokens >= 1) {
			b.tokens -= 1;
			return 0;
		}
		return Math.ceil((1 - b.tokens) / this.#perMs);
	}
}

const LOGIN_BACKOFF = [0, 1, 2, 4, 8, 16, 30, 60, 180, 300];
const REGISTER_BACKOFF = [0, 1, 2, 4, 8, 16, 30, 60];

export interface AuthThrottles {
	/** Per account: 0,1,2,4…300 s after consecutive failed logins (Lucia's example schedule). */
	loginAccount: BackoffThrottle;
	/**
	 * Per IP: 60 login attempts, two more per second. Generous on purpose: a whole workshop room
	 * often reaches Yoriai through one venue NAT address and signs in within the same minute.
	 */
	loginIp: BucketThrottle;
	/** Per IP: 30 registrations, one more every 10 seconds (again: one room, one address). */
	registerIp: BucketThrottle;
	/** Per requested username: slows scripted probing of which names are taken. */
	registerName: BackoffThrottle;
	/** Per IP: opening and redeeming invite links (INV-07): 30, then one every 2 seconds. */
	inviteIp: BucketThrottle;
}

/** The throttles in memory, or (`shared`: the PostgreSQL database) shared by every process. */
export function createAuthThrottles(scale: number, shared?: Db): AuthThrottles {
	if (shared)
		return {
			loginAccount: new SharedBackoff(shared, 'login-account', LOGIN_BACKOFF, scale),
			loginIp: new SharedTokenBucket(shared, 'login-ip', 60, 2, scale),
			registerIp: new SharedTokenBucket(shared, 'register-ip', 30, 1 / 10, scale),
			registerName: new SharedBackoff(shared, 'register-name', REGISTER_BACKOFF, scale),
			inviteIp: new SharedTokenBucket(shared, 'invite-ip', 30, 1 / 2, scale)
		};
	return {
		loginAccount: new Backoff(LOGIN_BACKOFF, scale),
		loginIp: new TokenBucket(60, 2, scale),
		registerIp: new TokenBucket(30, 1 / 10, scale),
		registerName: new Backoff(REGISTER_BACKOFF, scale),
		inviteIp: new TokenBucket(30, 1 / 2, scale)
	};
}
