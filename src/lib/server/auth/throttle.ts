/**
 * Brute-force throttles (AUTH-06), kept in this process's memory: enough for the single-process
 * SQLite deployment. A multi-process deployment moves them to Redis behind the same interface.
 */

/**
 * Exponential backoff per key (an account): after the n-th consecutive failure the key is locked
 * for `schedule[n]` seconds. Success resets it, so the right password works once the wait passes
 * and an attacker can never lock the owner out for good.
 */
export class Backoff {
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
export class TokenBucket {
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

export interface AuthThrottles {
	/** Per account: 0,1,2,4…300 s after consecutive failed logins (Lucia's example schedule). */
	loginAccount: Backoff;
	/**
	 * Per IP: 60 login attempts, two more per second. Generous on purpose: a whole workshop room
	 * often reaches Yoriai through one venue NAT address and signs in within the same minute.
	 */
	loginIp: TokenBucket;
	/** Per IP: 30 registrations, one more every 10 seconds (again: one room, one address). */
	registerIp: TokenBucket;
	/** Per requested username: slows scripted probing of which names are taken. */
	registerName: Backoff;
	/** Per IP: opening and redeeming invite links (INV-07): 30, then one every 2 seconds. */
	inviteIp: TokenBucket;
}

export function createAuthThrottles(scale: number): AuthThrottles {
	return {
		loginAccount: new Backoff([0, 1, 2, 4, 8, 16, 30, 60, 180, 300], scale),
		loginIp: new TokenBucket(60, 2, scale),
		registerIp: new TokenBucket(30, 1 / 10, scale),
		registerName: new Backoff([0, 1, 2, 4, 8, 16, 30, 60], scale),
		inviteIp: new TokenBucket(30, 1 / 2, scale)
	};
}
