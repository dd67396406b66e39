import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { OutlineItem, OutlineSection } from '../../src/lib/domain/library/library-types';
import type { SeedFile } from '../../src/lib/domain/library/seed-schema';
import { getItem } from '../../src/lib/server/reports/items';
import { getReportOutline } from '../../src/lib/server/reports/outline';
import { countThemes, listHorizons, listReports } from '../../src/lib/server/reports/reports';
import { itemsByTheme } from '../../src/lib/server/reports/themes';
import { seedReportsDir } from '../../seeds/paths';
import { seededDb } from '../helpers/library';

/** Issue 3: the five reports browsable — overview, outline, item in full, a theme across reports. */
let t: Awaited<ReturnType<typeof seededDb>>;
beforeAll(async () => {
	t = await seededDb();
});
afterAll(async () => {
	await t.cleanup();
});

const seed = (slug: string) =>
	JSON.parse(readFileSync(join(seedReportsDir(), `${slug}.json`), 'utf8')) as SeedFile;

function flatten(sections: OutlineSection[]): OutlineSection[] {
	return sections.flatMap((s) => [s, ...flatten(s.children)]);
}

describe('browsing the library', () => {
	test('the five reports, newest first, with counts by kind and top themes', async () => {
		const reports = await listReports(t.db);
		expect(reports.map((r) => r.slug)).toEqual([
			'cocn-7th-basic-plan-2025',
			'gx2040-innovation-ecosystem-2024',
			'meti-tech-vision-2020',
			'meti-innovation-mechanism-2019',
			'mic-ict-global-strategy-2019'
		]);
		for (const r of reports) {
			const items = seed(r.slug).items;
			expect(r.total).toBe(items.length);
			expect(r.counts.issue).toBe(items.filter((i) => i.kind === 'issue').length);
			expect(r.counts.proposal).toBe(items.filter((i) => i.kind === 'proposal').length);
			expect(r.counts.target).toBe(items.filter((i) => i.kind === 'target').length);
			expect(r.topThemes).toHaveLength(5);
			const counts = r.topThemes.map((x) => x.count);
			expect([...counts].sort((a, b) => b - a)).toEqual(counts);
		}
		expect(reports.find((r) => r.slug === 'meti-innovation-mechanism-2019')?.date_note).toMatch(
			/Inferred/u
		);
	});

	test('theme counts and target years for the filters', async () => {
		const themes = await countThemes(t.db);
		expect(themes.get('talent')).toBe(193);
		expect(themes.get('research_security')).toBe(17);
		const years = await listHorizons(t.db);
		expect(years).toContain(2030);
		expect([...years].sort()).toEqual(years);
	});

	test('an outline is the section tree with every item once, under its own section', async () => {
		const slug = 'mic-ict-global-strategy-2019';
		const outline = await getReportOutline(t.db, slug);
		if (!outline) throw new Error('no outline');
		const file = seed(slug);
		const sections = flatten(outline.sections);
		expect(sections.map((s) => s.id).sort()).toEqual(file.outline.map((s) => s.id).sort());
		for (const s of file.outline.filter((x) => x.parent !== null)) {
			const parent = sections.find((x) => x.id === s.parent);
			expect(parent?.children.map((c) => c.id)).toContain(s.id);
		}
		const placed = sections.flatMap((s) => s.items.map((i) => [i.id, s.id]));
		expect(placed).toHaveLength(file.items.length);
		expect(Object.fromEntries(placed)).toEqual(
			Object.fromEntries(file.items.map((i) => [i.id, i.section]))
		);
	});

	test('issue ↔ proposal links show from both ends in the outline', async () => {
		const outline = await getReportOutline(t.db, 'cocn-7th-basic-plan-2025');
		const items = new Map<string, OutlineItem>(
			flatten(outline?.sections ?? []).flatMap((s) => s.items.map((i) => [i.id, i]))
		);
		const file = seed('cocn-7th-basic-plan-2025');
		let pairs = 0;
		for (const item of file.items) {
			for (const link of item.links.filter((l) => l.type === 'addresses')) {
				pairs++;
				expect(items.get(item.id)?.addresses.map((l) => l.id)).toContain(link.target);
				expect(items.get(link.target)?.addressedBy.map((l) => l.id)).toContain(item.id);
			}
		}
		expect(pairs).toBeGreaterThan(20);
		expect(items.get('cocn25-102')?.addressedBy.map((l) => l.id)).toContain('cocn25-106');
	});

	test('an unknown report has no outline', async () => {
		expect(await getReportOutline(t.db, 'no-such-report')).toBeNull();
	});

	test('an item in full: text, quote, section path, vocabulary, links both ways', async () => {
		const item = await getItem(t.db, 'im19-166');
		expect(item).toMatchObject({
			id: 'im19-166',
			kind: 'issue',
			title_ja: '大学－企業間の研究人材の流動性が低い',
			retired: false,
			retired_at: null,
			themes: ['talent', 'industry_academia'],
			actors: [
				{ actor: 'universities', stated: true },
				{ actor: 'companies', stated: true },
				{ actor: 'researchers', stated: true }
			]
		});
		expect(item?.quote).toContain('流動性は低いレベル');
		expect(item?.sectionPath.map((s) => s.id)).toEqual(['im19-s3', 'im19-s3.4', 'im19-s3.4.2']);
		expect(item?.addressedBy.map((l) => [l.id, l.basis])).toEqual([['im19-167', 'editorial']]);
		expect(item?.restates.map((l) => l.id)).toEqual(['im19-020']);
		const restated = await getItem(t.db, 'im19-020');
		expect(restated?.restatedBy.map((l) => l.id)).toContain('im19-166');
	});

	test('parent and children of an item', async () => {
		const file = seed('cocn-7th-basic-plan-2025');
		const withParent = file.items.find((i) => i.parent !== null);
		if (!withParent?.parent) throw new Error('fixture');
		const item = await getItem(t.db, withParent.id);
		expect(item?.parent?.id).toBe(withParent.parent);
		const parent = await getItem(t.db, withParent.parent);
		expect(parent?.children.map((c) => c.id)).toContain(withParent.id);
	});

	test('related items come from other reports, best first', async () => {
		const item = await getItem(t.db, 'im19-166');
		expect(item?.related[0]?.id).toBe('ict19-087');
		for (const r of item?.related ?? []) expect(r.report.slug).not.toBe(item?.report.slug);
		const scores = item?.related.map((r) => r.score) ?? [];
		expect([...scores].sort((a, b) => b - a)).toEqual(scores);
	});

	test('same-theme items come from every other report, with the total per theme', async () => {
		const item = await getItem(t.db, 'im19-166');
		const talent = item?.sameTheme.find((g) => g.theme === 'talent');
		expect(talent?.total).toBe(
			193 -
				seed('meti-innovation-mechanism-2019').items.filter((i) => i.themes.includes('talent'))
					.length
		);
		const reports = new Set(talent?.items.map((i) => i.report.slug));
		expect(reports.has('meti-innovation-mechanism-2019')).toBe(false);
		expect(reports.size).toBe(4);
	});

	test('an unknown id is null, not an error', async () => {
		expect(await getItem(t.db, 'tv20-999')).toBeNull();
		expect(await getItem(t.db, "' or 1=1 --")).toBeNull();
	});

	test('a theme across reports: one column per report, every item on the theme', async () => {
		const columns = await itemsByTheme(t.db, 'research_security');
		expect(columns).toHaveLength(5);
		const counts = Object.fromEntries(columns.map((c) => [c.report.slug, c.items.length]));
		expect(counts).toEqual({
			'cocn-7th-basic-plan-2025': 15,
			'gx2040-innovation-ecosystem-2024': 0,
			'meti-tech-vision-2020': 0,
			'meti-innovation-mechanism-2019': 2,
			'mic-ict-global-strategy-2019': 0
		});
		const talent = await itemsByTheme(t.db, 'talent');
		expect(talent.reduce((n, c) => n + c.items.length, 0)).toBe(193);
	});
});
