/**
 * A token bucket on the monotonic clock: `rate` tokens per second refill up to `burst`.
 * `wait` answers how long until `cost` tokens are there (0 = now); `charge` may go into debt,
 * for costs only known afterwards (time spent applying an update).
 */
export class TokenBucket {
	private tokens: number;
	private last: number;

	constructor(
		private readonly rate: number,
		private readonly burst: number,
		private readonly clock: () => number = () => performance.now()
	) {
		this.tokens = burst;
		this.last = clock();
	}

	private refill(): void {
		const now = this.clock();
		this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
		this.last = now;
	}

	/** Milliseconds until `cost` tokens are available; 0 if they are now. */
	wait(cost: number): number {
		this.refill();
		if (this.tokens >= cost) return 0;
		return Math.ceil(((cost - this.tokens) / this.rate) * 1000);
	}

	charge(cost: number): void {
		this.refill();
		this.tokens -= cost;
	}

	/** True once more has been charged than the burst allowed. */
	get exhausted(): boolean {
		this.refill();
		return this.tokens < 0;
	}
}
