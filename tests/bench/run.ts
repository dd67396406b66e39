/**
 * `npm run bench`: runs the exported `run()` of every tests/bench/*.bench.ts in turn (never two
 * at once: they must not compete for the CPU) and prints the figures they return as one table; a
 * benchmark with side-by-side comparisons (realtime) prints its own tables and returns nothing.
 * A figure over its target fails the run (exit code 1).
 *   npm run bench               every benchmark
 *   npm run bench -- library    only those whose file name contains "library"
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchModule, Figure } from './bench';

const here = dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2] ?? '';
const files = readdirSync(here)
	.filter((f) => f.endsWith('.bench.ts') && f.includes(filter))
	.sort();
if (files.length === 0) {
	console.error(`no benchmark matches "${filter}" in ${here}`);
	process.exit(2);
}

const rows: { bench: string; figure: Figure }[] = [];
for (const file of files) {
	const bench = file.replace(/\.bench\.ts$/u, '');
	console.info(`running ${bench}…`);
	const mod = (await import(pathToFileURL(join(here, file)).href)) as BenchModule;
	for (const figure of (await mod.run()) ?? []) rows.push({ bench, figure });
}

const fmt = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(2));
const table = rows.map(({ bench, figure: f }) => ({
	bench,
	figure: f.name,
	value: `${fmt(f.value)} ${f.unit}`,
	target: f.max === undefined ? '' : `≤ ${fmt(f.max)} ${f.unit}`,
	ok: f.max === undefined ? '' : f.value <= f.max ? 'ok' : 'MISSED'
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
