/**
 * The report library: how long loading seeds/reports takes (into a fresh database, and again
 * when nothing changed), and search latency over a fixed mix of queries with all items loaded.
 * Target: search p99 under 20 ms — a search is a page load, with the count and one page of hits.
 */
import type { SearchFilters } from '../../src/lib/domain/library/search-query';
import { search } from '../../src/lib/server/reports/search';
import { seedLibraryFromDir } from '../../src/lib/server/reports/seed';
import { seedReportsDir } from '../../seeds/paths';
import { tempDb } from '../helpers/db';
import { median, percentile, timed, type Figure } from './bench';

const LOADS = 3;
const ROUNDS = 20;
const PAGE = { limit: 20, offset: 0 };

/** Japanese of one, two and more characters, English, filters alone and with text. */
const QUERIES: SearchFilters[] = [
	{ q: '量' },
	{ q: '人' },
	{ q: '量子' },
	{ q: '人材' },
	{ q: '大学' },
	{ q: 'AI' },
	{ q: '5G' },
	{ q: 'データ' },
	{ q: '半導体' },
	{ q: '人材育成' },
	{ q: 'スタートアップ' },
	{ q: '研究セキュリティ' },
	{ q: 'オープンイノベーション' },
	{ q: '経済安全保障' },
	{ q: '人材 育成' },
	{ q: '研究 AI' },
	{ q: 'talent' },
	{ q: 'startup' },
	{ q: 'open innovation' },
	{ q: 'quantum' },
	{ q: '%' },
	{ q: "'; drop table items; --" },
	{ q: '人材', kind: 'proposal' },
	{ q: 'データ', report: 'mic-ict-global-strategy-2019' },
	{ q: 'AI', theme: 'ai' },
	{ q: '研究', actor: 'companies', kind: 'proposal' },
	{ q: '', theme: 'talent' },
	{ q: '', theme: 'ai', kind: 'issue' },
	{ q: '', actor: 'universities' },
	{ q: '', horizon: 2030 }
];

export async function run(): Promise<Figure[]> {
	const cold: number[] = [];
	const again: number[] = [];
	for (let i = 0; i < LOADS; i++) {
		const t = await tempDb();
		try {
			cold.push(await timed(() => seedLibraryFromDir(t.db, seedReportsDir(), Date.now())));
			again.push(await timed(() => seedLibraryFromDir(t.db, seedReportsDir(), Date.now())));
		} finally {
			await t.cleanup();
		}
	}

	const t = await tempDb();
	const latencies: number[] = [];
	try {
		await seedLibraryFromDir(t.db, seedReportsDir(), Date.now());
		// One untimed round: first use compiles statements and warms the page cache.
		for (const q of QUERIES) await search(t.db, q, PAGE);
		for (let round = 0; round < ROUNDS; round++)
			for (const q of QUERIES) latencies.push(await timed(() => search(t.db, q, PAGE)));
	} finally {
		await t.cleanup();
	}

	return [
		{ name: `seed load, fresh database (median of ${LOADS})`, value: median(cold), unit: 'ms' },
		{ name: `seed load, nothing changed (median of ${LOADS})`, value: median(again), unit: 'ms' },
		{
			name: `search p50 (${QUERIES.length} queries × ${ROUNDS})`,
			value: percentile(latencies, 50),
			unit: 'ms'
		},
		{
			name: `search p99 (${QUERIES.length} queries × ${ROUNDS})`,
			value: percentile(latencies, 99),
			unit: 'ms',
			max: 20
		},
		{ name: 'search max', value: Math.max(...latencies), unit: 'ms' }
	];
}
