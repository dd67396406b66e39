import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { SearchFilters } from '../../src/lib/domain/library/search-query';
import { createDb, type SqliteHandle } from '../../src/lib/server/db/connect';
import { migrateToLatest } from '../../src/lib/server/db/migrate';
import { seedLibraryFromDir } from '../../src/lib/server/reports/seed';
import { search } from '../../src/lib/server/reports/search';
import { seedReportsDir } from '../../seeds/paths';
import { tempDb, TEST_DIALECT, type TempDb } from '../helpers/db';

/**
 * Library search on PostgreSQL (pg_trgm) finds exactly what SQLite (FTS5 trigram) finds, with the
 * same highlights, for the same library and queries (issue 14). Runs in the postgres project,
 * which has both databases at hand.
 */
describe.skipIf(TEST_DIALECT !== 'postgres')('search parity: SQLite and PostgreSQL', () => {
	let pg: TempDb;
	let lite: SqliteHandle;
	let dir: string;
	beforeAll(async () => {
		dir = mkdtempSync(join(tmpdir(), 'yoriai-parity-'));
		lite = createDb(join(dir, 'parity.db'));
		await migrateToLatest(lite.db);
		pg = await tempDb();
		await seedLibraryFromDir(lite.db, seedReportsDir(), 1000);
		await seedLibraryFromDir(pg.db, seedReportsDir(), 1000);
	});
	afterAll(async () => {
		await lite?.db.destroy();
		await pg?.cleanup();
		rmSync(dir, { recursive: true, force: true });
	});

	const ALL = { limit: 2000, offset: 0 };
	const queries: Partial<SearchFilters>[] = [
		{ q: '人材' },
		{ q: 'スタートアップ' },
		{ q: '研究セキュリティ' },
		{ q: '量子' },
		{ q: 'AI' },
		{ q: 'ai 人材' },
		{ q: '5g' },
		{ q: 'startup' },
		{ q: 'research security' },
		{ q: '半導体 人材育成' },
		{ q: '10%' },
		{ q: 'a_b' },
		{ q: '"quoted" near(x' },
		{ q: 'ｓｔａｒｔｕｐ' },
		{ q: '人材', kind: 'proposal' },
		{ q: 'データ', horizon: 3 },
		{ q: '' }
	];

	test.each(queries)('%o: same hits, same total, same highlights', async (filters) => {
		const f = { q: '', ...filters } as SearchFilters;
		const [a, b] = await Promise.all([search(lite.db, f, ALL), search(pg.db, f, ALL)]);
		expect(b.total).toBe(a.total);
		const byId = (r: typeof a) => new Map(r.hits.map((h) => [h.id, h]));
		const [ha, hb] = [byId(a), byId(b)];
		expect([...hb.keys()].sort()).toEqual([...ha.keys()].sort());
		for (const [id, hit] of ha) expect(hb.get(id)?.segments).toEqual(hit.segments);
	});

	test('paging gives the same totals (the count query) on both', async () => {
		const f = { q: '人材' } as SearchFilters;
		const page = { limit: 5, offset: 5 };
		const [a, b] = await Promise.all([search(lite.db, f, page), search(pg.db, f, page)]);
		expect(a.total).toBeGreaterThan(10);
		expect(b.total).toBe(a.total);
		expect(b.hits).toHaveLength(a.hits.length);
	});
});
