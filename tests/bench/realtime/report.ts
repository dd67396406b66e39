/** Percentiles, result rows and the printed comparison table. */
import type { Figure } from '../bench';
export interface Dist {
	n: number;
	p50: number;
	p95: number;
	p99: number;
	max: number;
}

export function dist(values: number[]): Dist {
	const v = Float64Array.from(values).sort();
	const at = (p: number) =>
		v.length === 0 ? NaN : (v[Math.min(v.length - 1, Math.floor(p * v.length))] as number);
	return {
		n: v.length,
		p50: at(0.5),
		p95: at(0.95),
		p99: at(0.99),
		max: v.length ? (v[v.length - 1] as number) : NaN
	};
}

export interface Row {
	scenario: string;
	metric: string;
	ours: number | string | null;
	ywss?: number | string | null;
	hp?: number | string | null;
	target?: string;
	pass?: boolean | null;
}

const rows: Row[] = [];

export function record(row: Row): void {
	rows.push(row);
	const fmt = (x: number | string | null | undefined) =>
		x === undefined ? '' : x === null ? 'n/a' : typeof x === 'number' ? round(x) : x;
	console.info(
		`  ${row.scenario} ${row.metric}: ours ${fmt(row.ours)}` +
			(row.ywss !== undefined ? ` | ywss ${fmt(row.ywss)}` : '') +
			(row.hp !== undefined ? ` | hp ${fmt(row.hp)}` : '') +
			(row.target ? ` | target ${row.target}` : '') +
			(row.pass === undefined || row.pass === null ? '' : row.pass ? ' ✓' : ' ✗')
	);
}

function round(x: number): string {
	if (!Number.isFinite(x)) return String(x);
	return Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(2);
}

function ratio(ours: Row['ours'], ref: Row['ywss']): string {
	return typeof ours === 'number' && typeof ref === 'number' && ref !== 0
		? (ours / ref).toFixed(2)
		: '';
}

/** The final side-by-side table (markdown, so it can be pasted into a PR or the docs). */
export function printTable(): void {
	console.info(
		'\n| scenario | metric | ours | y-ws-server | hocuspocus | ours/ywss | ours/hp | target | |'
	);
	console.info('|---|---|---|---|---|---|---|---|---|');
	const fmt = (x: Row['ours'] | undefined) =>
		x === undefined ? '' : x === null ? 'n/a' : typeof x === 'number' ? round(x) : x;
	for (const r of rows)
		console.info(
			`| ${r.scenario} | ${r.metric} | ${fmt(r.ours)} | ${fmt(r.ywss)} | ${fmt(r.hp)} | ` +
				`${ratio(r.ours, r.ywss)} | ${ratio(r.ours, r.hp)} | ${r.target ?? ''} | ` +
				`${r.pass === undefined || r.pass === null ? '' : r.pass ? 'pass' : 'FAIL'} |`
		);
}

/**
 * Our server's figures for `npm run bench`'s common table, where they stand beside the same
 * figures on the other database. The unit is taken from the metric's name ("propagation p99 ms"
 * → ms) and the target from its text: "≤ n" a maximum, "≥ n" a minimum, a bare 0 a maximum, a
 * bare other number (a delivery ratio of 1.0) a minimum. A scenario that failed gives a figure
 * that misses by construction, so the run fails.
 */
export function figures(): Figure[] {
	return rows.flatMap((r): Figure[] => {
		const name = `${r.scenario} ${r.metric}`;
		if (r.metric === 'error')
			return [{ name: `${name}: ${String(r.ours)}`, value: NaN, unit: '', max: 0 }];
		if (typeof r.ours !== 'number' || !Number.isFinite(r.ours)) return [];
		const unit = / (ms|MB)(?= \(|$)/u.exec(r.metric)?.[1] ?? '';
		const figure: Figure = {
			name: unit ? `${r.scenario} ${r.metric.replace(` ${unit}`, '')}` : name,
			value: r.ours,
			unit
		};
		const t = /^([≤≥]?)\s*(\d+(?:\.\d+)?)/u.exec(r.target ?? '');
		if (t) {
			const n = Number(t[2]);
			if (t[1] === '≤' || (t[1] === '' && n === 0)) figure.max = n;
			else figure.min = n;
		}
		return [figure];
	});
}
