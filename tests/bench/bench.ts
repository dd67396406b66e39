/** What a benchmark module (tests/bench/*.bench.ts) exports, and small helpers they share. */

export interface Figure {
	name: string;
	value: number;
	unit: string;
	/** The figure must stay at or under this to pass. */
	max?: number;
	/** The figure must reach at least this to pass (a throughput). */
	min?: number;
}

/** "≤ 20 ms", "≥ 1000 upd/s" or "" when the figure has no target. */
export function targetOf(f: Figure): string {
	const unit = f.unit ? ` ${f.unit}` : '';
	const parts = [
		f.min === undefined ? '' : `≥ ${f.min}${unit}`,
		f.max === undefined ? '' : `≤ ${f.max}${unit}`
	];
	return parts.filter(Boolean).join(', ');
}

/** Whether the figure meets its target; null when it has none. */
export function meets(f: Figure): boolean | null {
	if (f.min === undefined && f.max === undefined) return null;
	return (f.min === undefined || f.value >= f.min) && (f.max === undefined || f.value <= f.max);
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
