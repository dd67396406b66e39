/**
 * `npm run bench`: runs the exported `run()` of every tests/bench/*.bench.ts in turn (never two
 * at once: they must not compete for the CPU) and prints the figures they return as one table; a
 * benchmark with comparisons of its own (realtime, against other servers) prints its own tables
 * too. A figure that misses its target fails the run (exit code 1).
 *   npm run bench               every benchmark
 *   npm run bench -- library    only those whose file name contains "library"
 *
 * Two databases (issue 14): the benchmarks run once on SQLite and, when a PostgreSQL server
 * answers at TEST_DATABASE_URL, once more on PostgreSQL (the library, votes and realtime ones:
 * the others do not touch the database's differences; the cluster one runs there only), each in
 * a process of its own
 * (BENCH_DB=sqlite|postgres); the figures are then printed side by side.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { meets, targetOf, type BenchModule, type Figure } from './bench';

const here = dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2] ?? '';
if (!process.env.BENCH_DB) await sideBySide();
const ON_POSTGRES_ONLY = /^(library|votes|realtime|cluster)\.bench\.ts$/u;
const files = readdirSync(here)
	.filter((f) => f.endsWith('.bench.ts') && f.includes(filter))
	.filter((f) => process.env.BENCH_DB !== 'postgres' || ON_POSTGRES_ONLY.test(f))
	.sort();
if (files.length === 0 && process.env.BENCH_DB === 'postgres') {
	// The filter named only benchmarks that do not run on PostgreSQL (import, board…): not an error.
	console.info(`no PostgreSQL benchmark matches "${filter}"`);
	if (process.env.BENCH_JSON) writeFileSync(process.env.BENCH_JSON, '[]');
	process.exit(0);
}
if (files.length === 0) {
	console.error(`no benchmark matches "${filter}" in ${here}`);
	process.exit(2);
}

const rows: { bench: string; figure: Figure }[] = [];
console.info(
	`── database: ${process.env.BENCH_DB} (load average ${(await import('node:os')).loadavg()[0]!.toFixed(2)}) ──`
);
for (const file of files) {
	const bench = file.replace(/\.bench\.ts$/u, '');
	console.info(`running ${bench}…`);
	const mod = (await import(pathToFileURL(join(here, file)).href)) as BenchModule;
	for (const figure of (await mod.run()) ?? []) rows.push({ bench, figure });
}

if (process.env.BENCH_JSON) writeFileSync(process.env.BENCH_JSON, JSON.stringify(rows));

const fmt = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(2));
const table = rows.map(({ bench, figure: f }) => ({
	bench,
	figure: f.name,
	value: `${fmt(f.value)} ${f.unit}`,
	target: targetOf(f),
	ok: meets(f) === null ? '' : meets(f) ? 'ok' : 'MISSED'
}));
const columns = ['bench', 'figure', 'value', 'target', 'ok'] as const;
const widths = columns.map((c) => Math.max(c.length, ...table.map((r) => r[c].length)));
const line = (cells: readonly string[]) =>
	cells
		.map((cell, i) => cell.padEnd(widths[i] ?? 0))
		.join('  ')
		.trimEnd();
console.info(`\n${line(columns)}\n${line(widths.map((w) => '-'.repeat(w)))}`);
for (const r of table) console.info(line(columns.map((c) => r[c])));

const missed = table.filter((r) => r.ok === 'MISSED').length;
if (missed > 0) {
	console.error(`\n${missed} figure(s) missed their target`);
	process.exitCode = 1;
}

/** Runs this script once per database and prints every figure with both values; exits. */
async function sideBySide(): Promise<never> {
	const { pgTestServer } = await import('../helpers/pg-probe');
	const probe = await pgTestServer();
	const dbs = probe.ok ? ['sqlite', 'postgres'] : ['sqlite'];
	const tmp = mkdtempSync(join(tmpdir(), 'yoriai-bench-json-'));
	const results = new Map<string, { bench: string; figure: Figure }[]>();
	let failed = false;
	for (const db of dbs) {
		const json = join(tmp, `${db}.json`);
		const r = spawnSync('npx', ['tsx', fileURLToPath(import.meta.url), filter], {
			stdio: 'inherit',
			env: { ...process.env, BENCH_DB: db, YORIAI_TEST_DB: db, BENCH_JSON: json }
		});
		if (r.status !== 0) failed = true;
		try {
			results.set(
				db,
				JSON.parse(readFileSync(json, 'utf8')) as { bench: string; figure: Figure }[]
			);
		} catch {
			results.set(db, []);
		}
	}
	rmSync(tmp, { recursive: true, force: true });
	const key = (r: { bench: string; figure: Figure }) => `${r.bench}\u0000${r.figure.name}`;
	const keys = [...new Set([...results.values()].flat().map(key))];
	const value = (db: string, k: string) => {
		const f = results.get(db)?.find((r) => key(r) === k)?.figure;
		if (!f) return '–';
		const v = `${Number.isInteger(f.value) ? f.value : f.value.toFixed(2)} ${f.unit}`.trimEnd();
		return meets(f) === false ? `${v} MISSED` : v;
	};
	const table = keys.map((k) => {
		const [bench, name] = k.split('\u0000') as [string, string];
		const f = [...results.values()].flat().find((r) => key(r) === k)!.figure;
		return [bench, name, ...dbs.map((db) => value(db, k)), targetOf(f)];
	});
	const head = ['bench', 'figure', ...dbs, 'target'];
	const widths = head.map((h, i) => Math.max(h.length, ...table.map((r) => (r[i] ?? '').length)));
	const line = (cells: readonly string[]) =>
		cells
			.map((c, i) => c.padEnd(widths[i] ?? 0))
			.join('  ')
			.trimEnd();
	const { loadavg } = await import('node:os');
	const load = loadavg()
		.map((x) => x.toFixed(2))
		.join(' ');
	console.info(
		`\nside by side (load average at the end: ${load})\n${line(head)}\n${line(widths.map((w) => '-'.repeat(w)))}`
	);
	for (const r of table) console.info(line(r));
	if (!probe.ok)
		console.warn(`\n${probe.message.replace('PostgreSQL tests', 'PostgreSQL benchmarks')}`);
	console.info('(the realtime benchmark also prints its comparison with other servers above)');
	process.exit(failed ? 1 : 0);
}
