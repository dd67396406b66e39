/** What a benchmark module (tests/bench/*.bench.ts) exports, and small helpers they share. */

export interface Figure {
	name: string;
	value: number;
	unit: string;
	/** The figure must stay at or under this to pass. */
	max?: number;
}

export interface BenchModule {
	/** Figures for the common table, or nothing when the benchmark prints its own. */
	run: () => Promise<Figure[] | void>;
}

/** Milliseconds `fn` took. */
export async function timed(fn: () => Promise<unknown>): Promise<number> {
	const start = performance.now();
	await fn();
	return performance.now() - start;
}

/** The p-th percentile (0–100) of `samples`, nearest-rank. */
export function percentile(samples: readonly number[], p: number): number {
	if (samples.length === 0) return Number.NaN;
	const sorted = [...samples].sort((a, b) => a - b);
	const rank = Math.ceil((p / 100) * sorted.length);
	return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? Number.NaN;
}

export function median(samples: readonly number[]): number {
	return percentile(samples, 50);
}
