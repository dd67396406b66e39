import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { getItem } from '../../src/lib/server/reports/items';
import { getReportOutline } from '../../src/lib/server/reports/outline';
import { search } from '../../src/lib/server/reports/search';
import { seedLibraryFromDir } from '../../src/lib/server/reports/seed';
import { SeedLoadError } from '../../src/lib/server/reports/seed-files';
import { seedReportsDir } from '../../seeds/paths';
import { tempDb } from '../helpers/db';
import { librarySnapshot, seedCopy } from '../helpers/library';

/**
 * Issue 3: the library loads from seeds/ idempotently. Boards and decisions refer to item ids,
 * so a loaded item is never deleted: one that leaves its file is retired and stays resolvable.
 */
let t: Awaited<ReturnType<typeof tempDb>>;
let seeds: ReturnType<typeof seedCopy>;
beforeEach(async () => {
	t = await tempDb();
	seeds = seedCopy();
});
afterEach(async () => {
	await t.cleanup();
	seeds.cleanup();
});

const COCN = 'cocn-7th-basic-plan-2025.json';
const totalChanges = () =>
	t.dialect === 'sqlite'
		? (t.sqlite.prepare('select total_changes() as n').get() as { n: number }).n
		: null;

describe('loading the library', () => {
	test('a fresh database gets all five reports and every item', async () => {
		const counts = await seedLibraryFromDir(t.db, seedReportsDir(), 1000);
		expect(counts).toEqual({ inserted: 1087, updated: 0, retired: 0, unchanged: 0 });
		const perReport = await t.db
			.selectFrom('items')
			.select(['report_slug', (eb) => eb.fn.countAll<number>().as('n')])
			.groupBy('report_slug')
			.orderBy('report_slug')
			.execute();
		expect(perReport).toEqual([
			{ report_slug: 'cocn-7th-basic-plan-2025', n: 120 },
			{ report_slug: 'gx2040-innovation-ecosystem-2024', n: 47 },
			{ report_slug: 'meti-innovation-mechanism-2019', n: 241 },
			{ report_slug: 'meti-tech-vision-2020', n: 293 },
			{ report_slug: 'mic-ict-global-strategy-2019', n: 386 }
		]);
		const fts = await t.db
			.selectFrom('items_fts')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.executeTakeFirstOrThrow();
		expect(fts.n).toBe(1087);
	});

	test('loading again changes no row: nothing inserted, updated or retired', async () => {
		await seedLibraryFromDir(t.db, seedReportsDir(), 1000);
		const before = await librarySnapshot(t.db);
		const changesBefore = totalChanges();

		const counts = await seedLibraryFromDir(t.db, seedReportsDir(), 2000);

		expect(counts).toEqual({ inserted: 0, updated: 0, retired: 0, unchanged: 1087 });
		// SQLite counts every row any statement inserted, updated or deleted on this connection
		// (PostgreSQL has no such per-connection counter; the snapshot below must still match).
		if (t.dialect === 'sqlite') expect(totalChanges()).toBe(changesBefore);
		expect(await librarySnapshot(t.db)).toEqual(before);
	});

	test('an edited item is updated — only that item, with its themes and search text', async () => {
		await seedLibraryFromDir(t.db, seeds.dir, 1000);
		seeds.edit(COCN, (seed) => {
			const item = seed.items.find((i) => i.id === 'cocn25-016');
			if (!item) throw new Error('fixture');
			item.title_ja = '研究力強化は国家戦略（改訂）';
			item.themes = ['governance', 'quantum'];
		});
		const before = await librarySnapshot(t.db);

		const counts = await seedLibraryFromDir(t.db, seeds.dir, 2000);

		expect(counts).toEqual({ inserted: 0, updated: 1, retired: 0, unchanged: 1086 });
		const item = await getItem(t.db, 'cocn25-016');
		expect(item?.title_ja).toBe('研究力強化は国家戦略（改訂）');
		expect(item?.themes).toEqual(['governance', 'quantum']);
		const found = await search(t.db, { q: '国家戦略（改訂）' }, { limit: 5, offset: 0 });
		expect(found.hits.map((h) => h.id)).toEqual(['cocn25-016']);
		// Every other item row is as it was.
		const after = await librarySnapshot(t.db);
		const others = (rows: { id: string }[]) => rows.filter((r) => r.id !== 'cocn25-016');
		expect(others(after.items)).toEqual(others(before.items));
	});

	test('an item removed from its file is retired: hidden from lists and search, still fetchable by id', async () => {
		await seedLibraryFromDir(t.db, seeds.dir, 1000);
		const removed = 'cocn25-047';
		const title = (await getItem(t.db, removed))?.title_ja ?? '';
		seeds.edit(COCN, (seed) => {
			seed.items = seed.items.filter((i) => i.id !== removed);
		});

		const counts = await seedLibraryFromDir(t.db, seeds.dir, 2000);

		expect(counts).toEqual({ inserted: 0, updated: 0, retired: 1, unchanged: 1086 });
		// The items after it moved up in reading order.
		const next = await t.db
			.selectFrom('items')
			.select('position')
			.where('id', '=', 'cocn25-048')
			.executeTakeFirstOrThrow();
		expect(next.position).toBe(46);
		const item = await getItem(t.db, removed);
		expect(item).not.toBeNull();
		expect(item?.retired).toBe(true);
		expect(item?.retired_at).toBe(2000);
		expect(item?.title_ja).toBe(title);
		const found = await search(t.db, { q: title }, { limit: 50, offset: 0 });
		expect(found.hits.map((h) => h.id)).not.toContain(removed);
		const outline = await getReportOutline(t.db, 'cocn-7th-basic-plan-2025');
		const listed = JSON.stringify(outline);
		expect(listed).not.toContain(`"id":"${removed}"`);

		// Loading again does not retire it twice (the time it left stays)…
		expect(await seedLibraryFromDir(t.db, seeds.dir, 3000)).toEqual({
			inserted: 0,
			updated: 0,
			retired: 0,
			unchanged: 1086
		});
		expect((await getItem(t.db, removed))?.retired_at).toBe(2000);

		// …and when it comes back under the same id, it is published again.
		seeds.cleanup();
		seeds = seedCopy();
		expect(await seedLibraryFromDir(t.db, seeds.dir, 4000)).toEqual({
			inserted: 0,
			updated: 1,
			retired: 0,
			unchanged: 1086
		});
		expect((await getItem(t.db, removed))?.retired).toBe(false);
	});

	test('a bad seed file fails the whole load with a clear message and changes nothing', async () => {
		await seedLibraryFromDir(t.db, seeds.dir, 1000);
		const before = await librarySnapshot(t.db);
		seeds.edit(COCN, (seed) => {
			const item = seed.items[0];
			if (!item) throw new Error('fixture');
			// An edit elsewhere that would be written if the load went ahead…
			item.title_ja = '書き込まれてはならない';
			// …and a theme that is not in the vocabulary.
			(item.themes as string[]).push('not_a_theme');
		});

		const load = seedLibraryFromDir(t.db, seeds.dir, 2000);

		await expect(load).rejects.toBeInstanceOf(SeedLoadError);
		await expect(load).rejects.toThrow(/cocn-7th-basic-plan-2025\.json: items\.0\.themes/);
		expect(await librarySnapshot(t.db)).toEqual(before);
	});

	test('a file that is not JSON, or a link to an unknown item, is named in the message', async () => {
		seeds.write(COCN, '{ "schema_version": 1,');
		seeds.edit('gx2040-innovation-ecosystem-2024.json', (seed) => {
			seed.items[1]?.links.push({ type: 'addresses', target: 'gx24-999', basis: 'editorial' });
		});
		const error = await seedLibraryFromDir(t.db, seeds.dir, 1000).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(SeedLoadError);
		const { problems } = error as SeedLoadError;
		expect(problems.some((p) => p.startsWith(`${COCN}: not valid JSON`))).toBe(true);
		expect(problems.some((p) => p.includes('link to unknown item gx24-999'))).toBe(true);
		const rows = await t.db.selectFrom('items').select('id').execute();
		expect(rows).toEqual([]);
	});

	test('a report, prefix or id claimed by two files is refused: ids are global', async () => {
		const gx = seeds.read('gx2040-innovation-ecosystem-2024.json');
		seeds.write('zz-copy.json', { ...gx, report: { ...gx.report, slug: 'zz-copy' } });
		const error = await seedLibraryFromDir(t.db, seeds.dir, 1000).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(SeedLoadError);
		const message = (error as Error).message;
		expect(message).toMatch(
			/id prefix gx24 already used by gx2040-innovation-ecosystem-2024\.json/
		);
		expect(message).toMatch(/item id gx24-001 already used by/);
	});

	test('an empty seed folder is refused rather than retiring the whole library', async () => {
		await seedLibraryFromDir(t.db, seeds.dir, 1000);
		const empty = mkdtempSync(join(tmpdir(), 'yoriai-empty-'));
		try {
			await expect(seedLibraryFromDir(t.db, empty, 2000)).rejects.toThrow(/no seed files/);
			const retired = await t.db
				.selectFrom('items')
				.select('id')
				.where('retired_at', 'is not', null)
				.execute();
			expect(retired).toEqual([]);
		} finally {
			rmSync(empty, { recursive: true, force: true });
		}
	});

	test('a report whose file is removed is retired with its items, which stay resolvable', async () => {
		await seedLibraryFromDir(t.db, seeds.dir, 1000);
		rmSync(join(seeds.dir, 'gx2040-innovation-ecosystem-2024.json'));

		const counts = await seedLibraryFromDir(t.db, seeds.dir, 2000);

		expect(counts.retired).toBe(47);
		expect(await getReportOutline(t.db, 'gx2040-innovation-ecosystem-2024')).toBeNull();
		const item = await getItem(t.db, 'gx24-001');
		expect(item?.retired).toBe(true);
		expect(item?.sectionPath.length).toBeGreaterThan(0);
	});
});
