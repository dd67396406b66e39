import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { seedFile } from '../../src/lib/domain/library/seed-schema';
import {
	addItem,
	draftSeed,
	listImports,
	loadDraft,
	mayCurate,
	mergeItems,
	splitItem,
	updateItem,
	updateMeta,
	updateSectionTitle,
	type Draft
} from '../../src/lib/server/library-import/drafts';
import {
	exportSeed,
	publishDraft,
	retireImport
} from '../../src/lib/server/library-import/publish';
import { search } from '../../src/lib/server/reports/search';
import { seedLibraryFromDir } from '../../src/lib/server/reports/seed';
import { seedReportsDir } from '../../seeds/paths';
import { tempDb, type TempDb } from '../helpers/db';
import { createUser, type TestUser } from '../helpers/users';
import { itemStarting, planDraft } from '../helpers/import-draft';

/**
 * Issue 17: a draft import curated by two people and published into the library through the
 * seeds' own loader; on SQLite and PostgreSQL.
 */

let t: TempDb;
let ana: TestUser;
let ben: TestUser;
let outsider: TestUser;
const NOW = 1_780_000_000_000;

beforeEach(async () => {
	t = await tempDb();
	ana = await createUser(t.db, { displayName: 'Ana' });
	ben = await createUser(t.db, { displayName: 'Ben' });
	outsider = await createUser(t.db);
});
afterEach(async () => t.cleanup());

const newDraft = () => planDraft(t.db, ana.id, NOW);

const item = itemStarting;

describe('drafts', () => {
	test('a draft holds the candidates, visible to its curators only', async () => {
		const d = await newDraft();
		expect(d.items.map((i) => [i.kind, i.rule])).toEqual([
			['issue', 'issue.shortfall'],
			['issue', 'issue.shortfall'],
			['proposal', 'proposal.beki'],
			['proposal', 'proposal.hitsuyo'],
			['proposal', 'proposal.commitment']
		]);
		for (const i of d.items) expect(d.text.slice(i.start, i.end)).toBe(i.quote);
		expect(await mayCurate(t.db, d.id, { id: ana.id, is_admin: 0 })).toBe(true);
		expect(await mayCurate(t.db, d.id, { id: outsider.id, is_admin: 0 })).toBe(false);
		expect(await mayCurate(t.db, d.id, { id: outsider.id, is_admin: 1 })).toBe(true);
		expect(await listImports(t.db, { id: outsider.id, is_admin: 0 })).toEqual([]);
		expect((await listImports(t.db, { id: ana.id, is_admin: 0 })).map((s) => s.counts)).toEqual([
			{ candidate: 5, accepted: 0, rejected: 0 }
		]);
	});

	test('a quote that is not verbatim is refused and changes nothing', async () => {
		const d = await newDraft();
		const i = item(d, '産学官');
		const r = await updateItem(
			t.db,
			d.id,
			i.id,
			i.version,
			{ quote: '産学官で博士人材のキャリアを整備すべき' },
			{ id: ana.id },
			NOW
		);
		expect(r).toEqual({ ok: false, reason: 'not_verbatim' });
		const after = item((await loadDraft(t.db, d.id))!, '産学官');
		expect(after).toEqual(i);
		// A shorter verbatim quote is taken, and stays a slice of the text.
		const ok = await updateItem(
			t.db,
			d.id,
			i.id,
			i.version,
			{ quote: '博士人材のキャリアパスを整備すべき' },
			{ id: ana.id },
			NOW
		);
		expect(ok).toEqual({ ok: true });
		const d2 = (await loadDraft(t.db, d.id))!;
		expect(d2.items.find((x) => x.id === i.id)?.quote).toBe('博士人材のキャリアパスを整備すべき');
	});

	test('two curators: different items both saved; the same item is a conflict for the later save', async () => {
		const d = await newDraft();
		const a = item(d, '産学官');
		const b = item(d, '量子コンピュータ');
		expect(
			await updateItem(t.db, d.id, a.id, a.version, { status: 'accepted' }, { id: ana.id }, NOW)
		).toEqual({ ok: true });
		expect(
			await updateItem(t.db, d.id, b.id, b.version, { status: 'rejected' }, { id: ben.id }, NOW)
		).toEqual({ ok: true });
		// Ben still has the version of `a` he loaded before Ana's save.
		expect(
			await updateItem(t.db, d.id, a.id, a.version, { kind: 'target' }, { id: ben.id }, NOW)
		).toEqual({ ok: false, reason: 'conflict' });
		const d2 = (await loadDraft(t.db, d.id))!;
		expect(d2.items.find((x) => x.id === a.id)).toMatchObject({
			status: 'accepted',
			kind: 'proposal',
			updated_by_name: 'Ana'
		});
		expect(d2.items.find((x) => x.id === b.id)).toMatchObject({
			status: 'rejected',
			updated_by_name: 'Ben'
		});
	});

	test('an item added from selected text, a merge and a split', async () => {
		const d = await newDraft();
		const added = await addItem(
			t.db,
			d.id,
			'国際共同研究の拠点',
			0,
			'proposal',
			{ id: ana.id },
			NOW
		);
		expect(added.ok).toBe(true);
		expect(
			await addItem(t.db, d.id, '国際共同研究 の拠点', 0, 'proposal', { id: ana.id }, NOW)
		).toEqual({ ok: false, reason: 'not_verbatim' });
		const i1 = item(d, '博士号');
		const i2 = item(d, '量子技術');
		expect(
			await mergeItems(
				t.db,
				d.id,
				new Map([
					[i1.id, i1.version],
					[i2.id, i2.version]
				]),
				{ id: ana.id },
				NOW
			)
		).toEqual({ ok: true });
		let d2 = (await loadDraft(t.db, d.id))!;
		const merged = d2.items.find((x) => x.id === i1.id)!;
		expect(merged.quote).toBe(
			'博士号取得者数の低迷は、研究力とイノベーション力の格差につながっている。量子技術の研究人材が不足している。'
		);
		expect(d2.items.some((x) => x.id === i2.id)).toBe(false);
		expect(
			await splitItem(t.db, d.id, merged.id, merged.version, '量子技術', { id: ben.id }, NOW)
		).toEqual({ ok: true });
		d2 = (await loadDraft(t.db, d.id))!;
		expect(d2.items.map((x) => x.quote)).toContain(
			'博士号取得者数の低迷は、研究力とイノベーション力の格差につながっている。'
		);
		expect(d2.items.map((x) => x.quote)).toContain('量子技術の研究人材が不足している。');
		expect(d2.items.find((x) => x.rule === 'manual')?.quote).toBe('国際共同研究の拠点');
	});
});

describe('publishing', () => {
	async function curated(): Promise<Draft> {
		const d = await newDraft();
		const meta = {
			...d.meta,
			slug: 'next-basic-plan-2026',
			title_ja: '次期基本計画に向けて',
			title_en: 'Towards the next basic plan',
			publisher_ja: 'テスト懇談会',
			publisher_en: 'Test council',
			date: '2026-04',
			summary_ja: '博士人材と量子技術の提言。',
			summary_en: 'Proposals on doctoral talent and quantum technology.'
		};
		expect(await updateMeta(t.db, d.id, d.metaVersion, meta, NOW)).toEqual({ ok: true });
		const i = item(d, '産学官');
		await updateItem(
			t.db,
			d.id,
			i.id,
			i.version,
			{
				status: 'accepted',
				title_ja: '博士人材のキャリアパス整備',
				title_en: 'Career paths for doctoral talent',
				summary_ja: '産学官で博士人材のキャリアパスを整備する。',
				themes: ['talent', 'industry_academia'],
				actors: [{ actor: 'universities', stated: false }]
			},
			{ id: ana.id },
			NOW
		);
		const titles = ['Towards the next basic plan', 'Current state and issues', 'Proposals'];
		for (const [n, title] of titles.entries())
			expect(await updateSectionTitle(t.db, d.id, n, 0, title, { id: ana.id }, NOW)).toEqual({
				ok: true
			});
		return (await loadDraft(t.db, d.id))!;
	}

	test('an accepted item without titles or themes stops publication, naming the item', async () => {
		const d = await newDraft();
		const i = item(d, '量子コンピュータ');
		await updateItem(t.db, d.id, i.id, i.version, { status: 'accepted' }, { id: ana.id }, NOW);
		const build = draftSeed((await loadDraft(t.db, d.id))!);
		expect(build.seed).toBeNull();
		expect(build.problems.some((p) => p.where === `item:${i.id}`)).toBe(true);
		const r = await publishDraft(t.db, d.id, { id: ana.id }, seedReportsDir(), NOW);
		expect(r.ok).toBe(false);
		expect((await loadDraft(t.db, d.id))?.status).toBe('draft');
	});

	test('published: in the library and its search, kept by a reload of the seeds, exported, retired', async () => {
		await seedLibraryFromDir(t.db, seedReportsDir(), NOW);
		const d = await curated();
		const r = await publishDraft(t.db, d.id, { id: ana.id }, seedReportsDir(), NOW);
		expect(r).toEqual({ ok: true, slug: 'next-basic-plan-2026' });
		const hits = await search(t.db, { q: 'キャリアパス整備' }, { limit: 10, offset: 0 });
		expect(hits.hits.map((h) => h.report.slug)).toContain('next-basic-plan-2026');
		const report = await t.db
			.selectFrom('reports')
			.selectAll()
			.where('slug', '=', 'next-basic-plan-2026')
			.executeTakeFirst();
		expect(report?.retired_at).toBeNull();

		// A restart loads the seeds again: the published import stays in the library.
		await seedLibraryFromDir(t.db, seedReportsDir(), NOW + 1);
		const items = await t.db
			.selectFrom('items')
			.select(['id', 'quote', 'retired_at'])
			.where('report_slug', '=', 'next-basic-plan-2026')
			.execute();
		expect(items).toEqual([
			{
				id: expect.stringMatching(/^im[a-z0-9]+-001$/u),
				quote: '産学官で博士人材のキャリアパスを整備すべきである。',
				retired_at: null
			}
		]);

		const exported = await exportSeed(t.db, d.id);
		expect(seedFile.safeParse(JSON.parse(exported!.json)).success).toBe(true);
		expect((await listImports(t.db, null)).map((s) => [s.status, s.published_by_name])).toEqual([
			['published', 'Ana']
		]);

		expect(await retireImport(t.db, d.id, seedReportsDir(), NOW + 2)).toBe(true);
		const retired = await t.db
			.selectFrom('items')
			.select('retired_at')
			.where('report_slug', '=', 'next-basic-plan-2026')
			.execute();
		expect(retired.every((x) => x.retired_at !== null)).toBe(true);
	});

	test('a slug that a seed already uses is refused', async () => {
		const d = await curated();
		expect(
			await updateMeta(t.db, d.id, d.metaVersion, { ...d.meta, slug: 'meti-tech-vision-2020' }, NOW)
		).toEqual({ ok: true });
		// A save on the version before is a conflict.
		expect(await updateMeta(t.db, d.id, d.metaVersion, d.meta, NOW)).toEqual({
			ok: false,
			reason: 'conflict'
		});
		const r = await publishDraft(t.db, d.id, { id: ana.id }, seedReportsDir(), NOW);
		expect(r.ok).toBe(false);
		expect((await loadDraft(t.db, d.id))?.status).toBe('draft');
	});
});
