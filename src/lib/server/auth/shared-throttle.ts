import { sql } from 'kysely';
import type { Db } from '../db/connect';
import { logger } from '../log/logger';
import type { BackoffThrottle, BucketThrottle } from './throttle';

/**
 * The throttles of throttle.ts with their state in PostgreSQL's throttle_state table, for
 * several Yoriai processes on one database (issue 15): an attacker spreading attempts over the
 * processes behind a load balancer gets the allowance of one process, not N.
 *
 * The same algorithms, each step one atomic statement on the key's row (no transaction, so no
 * transaction lock either): concurrent attempts in different processes queue on the row lock
 * and each sees the others' effect. Times are the callers' (`app.now()`): the processes' clocks
 * must agree, as they must for session expiry anyway (NTP).
 *
 * Rows that no longer change anything (a full bucket, a backoff quiet for a day) are pruned at
 * most once a minute per throttle; the in-memory versions bound their size the same way.
 */
const PRUNE_EVERY_MS = 60_000;
const BACKOFF_FORGET_MS = 24 * 60 * 60 * 1000;

abstract class SharedThrottle {
	private prunedAt = 0;

	constructor(
		protected readonly db: Db,
		protected readonly scope: string
	) {}

	/** Rows last touched before this are worth nothing any more. */
	protected abstract staleBefore(now: number): number;

	protected prune(now: number): void {
		if (now - this.prunedAt < PRUNE_EVERY_MS) return;
		this.prunedAt = now;
		this.db
			.deleteFrom('throttle_state')
			.where('scope', '=', this.scope)
			.where('at', '<', this.staleBefore(now))
			.execute()
			.catch((e: unknown) =>
				logger.error({ err: e, throttle: this.scope }, 'throttle pruning failed')
			);
	}
}

/** TokenBucket (throttle.ts), shared: `capacity` requests per key, refilled at `perSecond`. */
export class SharedTokenBucket extends SharedThrottle implements BucketThrottle {
	readonly #capacity: number;
	readonly #perMs: number;

	constructor(db: Db, scope: string, capacity: number, perSecond: number, scale = 1) {
		super(db, scope);
		this.#capacity = capacity;
		this.#perMs = perSecond / 1000 / scale;
	}

	protected staleBefore(now: number): number {
		// Untouched this long, a bucket has refilled completely: the same as no row.
		return now - Math.ceil(this.#capacity / this.#perMs);
	}

	async take(key: string, now: number): Promise<number> {
		this.prune(now);
		// Refill (or create full), then take one token if there is one. Two statements, each
		// atomic on the row: a refill in another process between them only adds what it is owed
		// (`at` moves forward), and the take never spends a token twice.
		await sql`
			insert into throttle_state (scope, key, value, at)
			values (${this.scope}, ${key}, ${this.#capacity}::float8, ${now}::bigint)
			on conflict (scope, key) do update set
				value = least(${this.#capacity}::float8,
					throttle_state.value + greatest(0, ${now}::bigint - throttle_state.at) * ${this.#perMs}::float8),
				at = greatest(throttle_state.at, ${now}::bigint)`.execute(this.db);
		const taken = await sql`
			update throttle_state set value = value - 1
			where scope = ${this.scope} and key = ${key} and value >= 1
			returning value`.execute(this.db);
		if (taken.rows.length > 0) return 0;
		// Refused: how long until the next token, from what the others left.
		const row = await this.db
			.selectFrom('throttle_state')
			.select('value')
			.where('scope', '=', this.scope)
			.where('key', '=', key)
			.executeTakeFirst();
		const tokens = Math.min(row?.value ?? 0, 1);
		return Math.max(1, Math.ceil((1 - tokens) / this.#perMs));
	}
}

/** Backoff (throttle.ts), shared: after the n-th consecutive failure, `schedule[n]` seconds. */
export class SharedBackoff extends SharedThrottle implements BackoffThrottle {
	readonly #schedule: readonly number[];
	readonly #msPerSecond: number;

	constructor(db: Db, scope: string, scheduleSeconds: readonly number[], scale = 1) {
		super(db, scope);
		this.#schedule = scheduleSeconds;
		this.#msPerSecond = 1000 * scale;
	}

	protected staleBefore(now: number): number {
		return now - BACKOFF_FORGET_MS;
	}

	async wait(key: string, now: number): Promise<number> {
		const row = await this.db
			.selectFrom('throttle_state')
			.select('at')
			.where('scope', '=', this.scope)
			.where('key', '=', key)
			.executeTakeFirst();
		return row ? Math.max(0, row.at - now) : 0;
	}

	async fail(key: string, now: number): Promise<void> {
		this.prune(now);
		const steps = this.#schedule.map((s) => s * this.#msPerSecond);
		// The step for the failures counted so far (the first failure waits schedule[0]).
		await sql`
			insert into throttle_state (scope, key, value, at)
			values (${this.scope}, ${key}, 1, ${now + (steps[0] ?? 0)}::bigint)
			on conflict (scope, key) do update set
				value = throttle_state.value + 1,
				at = ${now}::bigint + round((${steps}::float8[])[least(throttle_state.value::int, ${steps.length - 1}) + 1])::bigint`.execute(
			this.db
		);
	}

	async reset(key: string): Promise<void> {
		await this.db
			.deleteFrom('throttle_state')
			.where('scope', '=', this.scope)
			.where('key', '=', key)
			.execute();
	}
}
