/**
 * Issue 17, importing a report: the five source reports go through the import's own code path
 * (decoding the bytes, clean-up, outline, candidate rules) and the candidates are compared with
 * the curated items of seeds/reports (see src/lib/domain/library/import-measure.ts for what
 * counts as found and as right). Prints recall and precision by kind and per report, and the
 * time to candidates for the largest report.
 *   npm run bench -- import
 * Targets (issue 17): recall of curated issues and proposals ≥ 85 %, precision ≥ 40 %, the
 * largest report (about 390 items) to candidates in under 10 s. The common table holds the
 * shares *missed* and *wrong*, because its targets are upper bounds.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { measureCandidates, type KindFigures } from '../../src/lib/domain/library/import-measure';
import { seedFile } from '../../src/lib/domain/library/seed-schema';
import { ITEM_KINDS, type ItemKind } from '../../src/lib/domain/library/vocabulary';
import { analyseSource } from '../../src/lib/server/library-import/analyse';
import { reportsDir, seedReportsDir } from '../../seeds/paths';
import { median, type Figure } from './bench';

const TIMING_ROUNDS = 5;
const KINDS = Object.keys(ITEM_KINDS) as ItemKind[];

const pct = (n: number, d: number) => (d === 0 ? 0 : (100 * n) / d);
const add = (a: KindFigures, b: KindFigures): KindFigures => ({
	curated: a.curated + b.curated,
	located: a.located + b.located,
	found: a.found + b.found,
	foundAsKind: a.foundAsKind + b.foundAsKind,
	candidates: a.candidates + b.candidates,
	right: a.right + b.right
});
const zero = (): KindFigures => ({
	curated: 0,
	located: 0,
	found: 0,
	foundAsKind: 0,
	candidates: 0,
	right: 0
});

export async function run(): Promise<Figure[]> {
	const files = readdirSync(seedReportsDir())
		.filter((f) => f.endsWith('.json'))
		.sort();
	const rows: Record<string, string | number>[] = [];
	const total: Record<ItemKind, KindFigures> = { issue: zero(), proposal: zero(), target: zero() };
	const rules: Record<string, { candidates: number; right: number }> = {};
	let largest = { name: '', items: 0, bytes: Buffer.alloc(0) };
	let unlocated = 0;

	for (const file of files) {
		const seed = seedFile.parse(JSON.parse(readFileSync(join(seedReportsDir(), file), 'utf8')));
		const bytes = readFileSync(join(reportsDir(), seed.report.source));
		if (seed.items.length > largest.items)
			largest = { name: seed.report.slug, items: seed.items.length, bytes };
		const a = await analyseSource({ name: seed.report.source, bytes });
		const m = measureCandidates(a.text, a.candidates, seed.items);
		unlocated += m.unlocated.length;
		for (const k of KINDS) total[k] = add(total[k], m.byKind[k]);
		for (const [id, r] of Object.entries(m.byRule)) {
			const t = (rules[id] ??= { candidates: 0, right: 0 });
			t.candidates += r.candidates;
			t.right += r.right;
		}
		rows.push(row(seed.report.slug, m.byKind));
	}
	rows.push(row('all five', total));
	console.info(
		'\nimport: curated items found by the candidate rules (recall) and candidates that match a curated item (precision)'
	);
	console.table(rows);
	console.table(
		Object.entries(rules)
			.sort((a, b) => b[1].candidates - a[1].candidates)
			.map(([rule, r]) => ({
				rule,
				candidates: r.candidates,
				right: r.right,
				precision: `${pct(r.right, r.candidates).toFixed(0)} %`
			}))
	);

	const times: number[] = [];
	for (let i = 0; i < TIMING_ROUNDS; i++) {
		const start = performance.now();
		await analyseSource({ name: 'largest.txt', bytes: largest.bytes });
		times.push(performance.now() - start);
	}

	const ip = add(total.issue, total.proposal);
	const all = add(ip, total.target);
	return [
		{ name: 'recall, issues and proposals', value: pct(ip.found, ip.located), unit: '%' },
		{ name: 'recall, issues', value: pct(total.issue.found, total.issue.located), unit: '%' },
		{
			name: 'recall, proposals',
			value: pct(total.proposal.found, total.proposal.located),
			unit: '%'
		},
		{
			name: 'recall with the right kind, issues and proposals',
			value: pct(ip.foundAsKind, ip.located),
			unit: '%'
		},
		{ name: 'precision, all candidates', value: pct(all.right, all.candidates), unit: '%' },
		{
			name: 'issues and proposals missed (100 − recall)',
			value: 100 - pct(ip.found, ip.located),
			unit: '%',
			max: 15
		},
		{
			name: 'candidates matching no curated item (100 − precision)',
			value: 100 - pct(all.right, all.candidates),
			unit: '%',
			max: 60
		},
		{
			name: 'curated quotes not located in the cleaned text',
			value: unlocated,
			unit: 'items',
			max: 0
		},
		{
			name: `time to candidates, ${largest.name} (${largest.items} items; median of ${TIMING_ROUNDS})`,
			value: median(times),
			unit: 'ms',
			max: 10_000
		}
	];
}

function row(
	report: string,
	byKind: Record<ItemKind, KindFigures>
): Record<string, string | number> {
	const out: Record<string, string | number> = { report };
	for (const k of KINDS) {
		const f = byKind[k];
		out[`${k} recall`] = `${f.found}/${f.located} ${pct(f.found, f.located).toFixed(0)} %`;
		out[`${k} precision`] = `${f.right}/${f.candidates} ${pct(f.right, f.candidates).toFixed(0)} %`;
	}
	return out;
}
