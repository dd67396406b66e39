import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
	draftSeed,
	loadDraft,
	mergeItems,
	updateItem,
	updateMeta,
	updateSectionTitle,
	type Draft
} from '../../src/lib/server/library-import/drafts';
import { publishDraft } from '../../src/lib/server/library-import/publish';
import { getItem } from '../../src/lib/server/reports/items';
import { seedLibrary } from '../../src/lib/server/reports/seed';
import { readSeedDir } from '../../src/lib/server/reports/seed-files';
import { seedReportsDir } from '../../seeds/paths';
import { tempDb, type TempDb } from '../helpers/db';
import { createUser, type TestUser } from '../helpers/users';
import { itemStarting, planDraft } from '../helpers/import-draft';

/**
 * Issue 17: curation edits every field a seed item has — subkind, KPI, parent, links — and the
 * sections' English titles; saved as the curator goes, per item (or section) version, checked
 * by the seed rules. On SQLite and PostgreSQL.
 */

let t: TempDb;
let ana: TestUser;
let ben: TestUser;
const NOW = 1_780_000_000_000;

beforeEach(async () => {
	t = await tempDb();
	ana = await createUser(t.db, { displayName: 'Ana' });
	ben = await createUser(t.db, { displayName: 'Ben' });
});
afterEach(async () => t.cleanup());

const newDraft = () => planDraft(t.db, ana.id, NOW);
const reload = async (d: Draft) => (await loadDraft(t.db, d.id))!;
const item = itemStarting;

describe('item fields beyond titles', () => {
	test('subkind, KPI, parent and links are saved and loaded', async () => {
		const d = await newDraft();
		const issue = item(d, '量子技術');
		const prop = item(d, '量子コンピュータ');
		const pillar = item(d, '産学官');
		const r = await updateItem(
			t.db,
			d.id,
			prop.id,
			prop.version,
			{
				subkind: 'measure',
				kpi: '2030年までに国産量子コンピュータを稼働',
				parent: pillar.id,
				links: [{ type: 'addresses', target: issue.id, basis: 'editorial' }]
			},
			{ id: ana.id },
			NOW
		);
		expect(r).toEqual({ ok: true });
		const saved = item(await reload(d), '量子コンピュータ');
		expect(saved).toMatchObject({
			subkind: 'measure',
			kpi: '2030年までに国産量子コンピュータを稼働',
			parent: pillar.id,
			links: [{ type: 'addresses', target: issue.id, basis: 'editorial' }],
			version: prop.version + 1,
			updated_by_name: 'Ana'
		});
		// Cleared again.
		expect(
			await updateItem(
				t.db,
				d.id,
				prop.id,
				saved.version,
				{ subkind: null, kpi: null, parent: null, links: [] },
				{ id: ana.id },
				NOW
			)
		).toEqual({ ok: true });
		expect(item(await reload(d), '量子コンピュータ')).toMatchObject({
			subkind: null,
			kpi: null,
			parent: null,
			links: []
		});
	});

	test('two curators saving parents at the same moment cannot make a loop: one of the two is refused', async () => {
		const d = await newDraft();
		const prop = item(d, '量子コンピュータ');
		const pillar = item(d, '産学官');
		// Each save alone is fine; together they would make each item the other's parent.
		const [a, b] = await Promise.all([
			updateItem(t.db, d.id, prop.id, prop.version, { parent: pillar.id }, { id: ana.id }, NOW),
			updateItem(t.db, d.id, pillar.id, pillar.version, { parent: prop.id }, { id: ben.id }, NOW)
		]);
		expect([a.ok, b.ok].sort()).toEqual([false, true]);
		expect([a, b].find((r) => !r.ok)).toMatchObject({ reason: 'invalid', problem: 'parentLoop' });
		const after = await reload(d);
		const parents = [item(after, '量子コンピュータ').parent, item(after, '産学官').parent];
		expect(parents.filter((p) => p !== null)).toHaveLength(1);
	});

	test('values the seed checks refuse are refused with their reason and change nothing', async () => {
		const d = await newDraft();
		const issue = item(d, '量子技術');
		const prop = item(d, '量子コンピュータ');
		const pillar = item(d, '産学官');
		await updateItem(t.db, d.id, prop.id, prop.version, { parent: pillar.id }, { id: ana.id }, NOW);
		const before = await reload(d);
		const p = item(before, '量子コンピュータ');
		const pl = item(before, '産学官');
		const refused = async (id: number, version: number, patch: Parameters<typeof updateItem>[4]) =>
			(await updateItem(t.db, d.id, id, version, patch, { id: ana.id }, NOW)) as {
				problem?: string;
			};
		expect((await refused(p.id, p.version, { subkind: 'nonsense' })).problem).toBe('subkind');
		expect((await refused(p.id, p.version, { kpi: '目'.repeat(301) })).problem).toBe('kpi');
		expect((await refused(p.id, p.version, { parent: 999_999 })).problem).toBe('parentUnknown');
		expect((await refused(p.id, p.version, { parent: p.id })).problem).toBe('parentSelf');
		expect((await refused(pl.id, pl.version, { parent: p.id })).problem).toBe('parentLoop');
		expect(
			(
				await refused(issue.id, issue.version, {
					links: [{ type: 'addresses', target: p.id, basis: 'stated' }]
				})
			).problem
		).toBe('linkDirection');
		expect(
			(
				await refused(p.id, p.version, {
					links: [{ type: 'restates', target: p.id, basis: 'stated' }]
				})
			).problem
		).toBe('linkSelf');
		// An item of another draft is unknown here.
		const other = await newDraft();
		expect(
			(
				await refused(p.id, p.version, {
					links: [{ type: 'addresses', target: item(other, '量子技術').id, basis: 'stated' }]
				})
			).problem
		).toBe('linkUnknown');
		// A kind change that would turn the item's own "addresses" link backwards is refused too.
		await updateItem(
			t.db,
			d.id,
			p.id,
			p.version,
			{ links: [{ type: 'addresses', target: issue.id, basis: 'stated' }] },
			{ id: ana.id },
			NOW
		);
		const linked = item(await reload(d), '量子コンピュータ');
		expect((await refused(linked.id, linked.version, { kind: 'issue' })).problem).toBe(
			'linkDirection'
		);
		expect(item(await reload(d), '量子コンピュータ')).toEqual(linked);
		expect(item(await reload(d), '産学官')).toEqual(pl);
	});

	test('two curators on one item: the later save on the old version is a conflict; other items are unaffected', async () => {
		const d = await newDraft();
		const prop = item(d, '量子コンピュータ');
		const pillar = item(d, '産学官');
		expect(
			await updateItem(
				t.db,
				d.id,
				prop.id,
				prop.version,
				{ kpi: 'Ana の目標' },
				{ id: ana.id },
				NOW
			)
		).toEqual({ ok: true });
		expect(
			await updateItem(
				t.db,
				d.id,
				prop.id,
				prop.version,
				{ parent: pillar.id },
				{ id: ben.id },
				NOW
			)
		).toEqual({ ok: false, reason: 'conflict' });
		expect(
			await updateItem(
				t.db,
				d.id,
				pillar.id,
				pillar.version,
				{ subkind: 'pillar' },
				{ id: ben.id },
				NOW
			)
		).toEqual({ ok: true });
		const after = await reload(d);
		expect(item(after, '量子コンピュータ')).toMatchObject({ kpi: 'Ana の目標', parent: null });
		expect(item(after, '産学官').subkind).toBe('pillar');
	});

	test('a merge moves parents and links that named a merged-away item onto the merged item', async () => {
		const d = await newDraft();
		const issueA = item(d, '博士号');
		const issueB = item(d, '量子技術');
		const prop = item(d, '量子コンピュータ');
		await updateItem(
			t.db,
			d.id,
			prop.id,
			prop.version,
			{ links: [{ type: 'addresses', target: issueB.id, basis: 'stated' }], parent: issueB.id },
			{ id: ana.id },
			NOW
		);
		const r = await mergeItems(
			t.db,
			d.id,
			new Map([
				[issueA.id, issueA.version],
				[issueB.id, issueB.version]
			]),
			{ id: ana.id },
			NOW
		);
		expect(r).toEqual({ ok: true });
		const moved = item(await reload(d), '量子コンピュータ');
		expect(moved).toMatchObject({
			parent: issueA.id,
			links: [{ type: 'addresses', target: issueA.id, basis: 'stated' }],
			version: prop.version + 2
		});
	});
});

describe("sections' English titles", () => {
	test('written per section with its own version; a stale save is a conflict; bad input changes nothing', async () => {
		const d = await newDraft();
		expect(d.outline.map((s) => s.title_en)).toEqual(['', '', '']);
		expect(d.sectionVersions).toEqual([0, 0, 0]);
		expect(
			await updateSectionTitle(t.db, d.id, 1, 0, ' Current state ', { id: ana.id }, NOW)
		).toEqual({
			ok: true
		});
		// Ben saved on the version he saw (none yet): Ana's title stays, Ben is told.
		expect(await updateSectionTitle(t.db, d.id, 1, 0, 'Status', { id: ben.id }, NOW)).toEqual({
			ok: false,
			reason: 'conflict'
		});
		// Another section is not in the way.
		expect(await updateSectionTitle(t.db, d.id, 2, 0, 'Proposals', { id: ben.id }, NOW)).toEqual({
			ok: true
		});
		expect(
			await updateSectionTitle(t.db, d.id, 1, 1, 'Current state and issues', { id: ben.id }, NOW)
		).toEqual({ ok: true });
		expect(await updateSectionTitle(t.db, d.id, 1, 1, 'x', { id: ana.id }, NOW)).toEqual({
			ok: false,
			reason: 'conflict'
		});
		expect(await updateSectionTitle(t.db, d.id, 0, 0, 'a\u0000b', { id: ana.id }, NOW)).toEqual({
			ok: false,
			reason: 'invalid',
			problem: 'sectionTitle'
		});
		expect(await updateSectionTitle(t.db, d.id, 7, 0, 'Nowhere', { id: ana.id }, NOW)).toEqual({
			ok: false,
			reason: 'not_found'
		});
		const after = await reload(d);
		expect(after.outline.map((s) => s.title_en)).toEqual([
			'',
			'Current state and issues',
			'Proposals'
		]);
		expect(after.sectionVersions).toEqual([0, 2, 1]);
	});

	test('publishing waits for every used section to have one, and then carries the curated fields', async () => {
		const d = await newDraft();
		await updateMeta(
			t.db,
			d.id,
			d.metaVersion,
			{
				...d.meta,
				slug: 'curation-fields-2026',
				title_ja: '次期基本計画に向けて',
				title_en: 'Towards the next basic plan',
				publisher_ja: 'テスト懇談会',
				publisher_en: 'Test council',
				date: '2026-04',
				summary_ja: '要約。',
				summary_en: 'Summary.'
			},
			NOW
		);
		const accept = {
			status: 'accepted' as const,
			summary_ja: '要約。',
			themes: ['talent']
		};
		const issue = item(d, '量子技術');
		const prop = item(d, '量子コンピュータ');
		await updateItem(
			t.db,
			d.id,
			issue.id,
			issue.version,
			{ ...accept, title_ja: '量子人材の不足', title_en: 'Shortage of quantum researchers' },
			{ id: ana.id },
			NOW
		);
		await updateItem(
			t.db,
			d.id,
			prop.id,
			prop.version,
			{
				...accept,
				title_ja: '量子コンピュータの国産化',
				title_en: 'Domestic quantum computers',
				subkind: 'measure',
				kpi: '2030年までに稼働',
				links: [{ type: 'addresses', target: issue.id, basis: 'stated' }]
			},
			{ id: ana.id },
			NOW
		);
		const missing = draftSeed(await reload(d));
		expect(missing.seed).toBeNull();
		expect(missing.problems).toEqual([
			{ where: 'section:0', message: 'English title missing: 次期基本計画に向けて' },
			{ where: 'section:1', message: 'English title missing: 現状と課題' },
			{ where: 'section:2', message: 'English title missing: 提言' }
		]);
		expect((await publishDraft(t.db, d.id, { id: ana.id }, seedReportsDir(), NOW)).ok).toBe(false);

		for (const [n, title] of [
			'Towards the next basic plan',
			'State and issues',
			'Proposals'
		].entries())
			await updateSectionTitle(t.db, d.id, n, 0, title, { id: ben.id }, NOW);
		await seedLibrary(t.db, readSeedDir(seedReportsDir()), NOW);
		const r = await publishDraft(t.db, d.id, { id: ana.id }, seedReportsDir(), NOW);
		expect(r).toEqual({ ok: true, slug: 'curation-fields-2026' });
		const published = (await reload(d)).items.filter((i) => i.published_id !== null);
		const [issueId, propId] = [issue.id, prop.id].map(
			(id) => published.find((i) => i.id === id)!.published_id!
		);
		const libraryItem = await getItem(t.db, propId!);
		expect(libraryItem).toMatchObject({ subkind: 'measure', kpi: '2030年までに稼働', page: null });
		expect(libraryItem?.addresses.map((l) => l.id)).toEqual([issueId]);
		const sections = await t.db
			.selectFrom('report_sections')
			.select(['title_ja', 'title_en'])
			.where('report_slug', '=', 'curation-fields-2026')
			.orderBy('position')
			.execute();
		expect(sections).toEqual([
			{ title_ja: '次期基本計画に向けて', title_en: 'Towards the next basic plan' },
			{ title_ja: '現状と課題', title_en: 'State and issues' },
			{ title_ja: '提言', title_en: 'Proposals' }
		]);
	});
});

describe('PDF page into the library', () => {
	test("a seed item's page is stored and shown with the item; seeds without pages stay as they were", async () => {
		const seeds = readSeedDir(seedReportsDir());
		await seedLibrary(t.db, seeds, NOW);
		const curatedItem = seeds[0]!.seed.items[0]!;
		expect((await getItem(t.db, curatedItem.id))?.page).toBeNull();
		const hashBefore = await t.db
			.selectFrom('items')
			.select('content_hash')
			.where('id', '=', curatedItem.id)
			.executeTakeFirstOrThrow();

		const d = await newDraft();
		const i = item(d, '量子コンピュータ');
		await updateItem(
			t.db,
			d.id,
			i.id,
			i.version,
			{
				status: 'accepted',
				title_ja: '国産化',
				title_en: 'Domestic production',
				summary_ja: '要約。',
				themes: ['quantum']
			},
			{ id: ana.id },
			NOW
		);
		for (const n of [0, 2])
			await updateSectionTitle(t.db, d.id, n, 0, `S${n}`, { id: ana.id }, NOW);
		await updateMeta(
			t.db,
			d.id,
			d.metaVersion,
			{
				...d.meta,
				slug: 'paged-2026',
				title_en: 'Paged',
				publisher_ja: '会',
				publisher_en: 'Council',
				date: '2026-04',
				summary_ja: '要約。',
				summary_en: 'Summary.'
			},
			NOW
		);
		// As if the text came from a PDF whose second page starts at the proposals.
		const draft = await reload(d);
		const paged = { ...draft, format: 'pdf', pageStarts: [0, draft.text.indexOf('## 提言')] };
		const build = draftSeed(paged);
		expect(build.problems).toEqual([]);
		expect(build.seed!.items[0]!.page).toBe(2);
		await seedLibrary(t.db, [...seeds, { file: `import:${d.id}`, seed: build.seed! }], NOW + 1);
		expect((await getItem(t.db, build.seed!.items[0]!.id))?.page).toBe(2);
		// The curated seeds' items were not rewritten by the new column.
		expect(
			await t.db
				.selectFrom('items')
				.select('content_hash')
				.where('id', '=', curatedItem.id)
				.executeTakeFirstOrThrow()
		).toEqual(hashBefore);
	});
});
