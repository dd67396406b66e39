import { describe, expect, test } from 'vitest';
import {
	checkRelations,
	parseItemRef,
	type RelationItem
} from '../../src/lib/domain/library/import-relations';
import { buildImportSeed, type ImportItem } from '../../src/lib/domain/library/import-seed';
import { seedItem } from '../../src/lib/domain/library/seed-schema';

/**
 * Issue 17: a draft item's subkind, KPI, parent and links are checked when saved by the rules
 * the seed checks (validate-seed.ts) apply at publication.
 */

const items: RelationItem[] = [
	{ id: 1, kind: 'issue', parent: null },
	{ id: 2, kind: 'proposal', parent: null },
	{ id: 3, kind: 'proposal', parent: 2 },
	{ id: 4, kind: 'target', parent: 3 }
];
const proposal = { id: 2, kind: 'proposal' as const };

describe('checkRelations', () => {
	test('values the seed checks accept pass', () => {
		expect(
			checkRelations(
				proposal,
				{
					subkind: 'measure',
					kpi: '2030年までに博士号取得者を倍増',
					parent: null,
					links: [
						{ type: 'addresses', target: 1, basis: 'stated' },
						{ type: 'restates', target: 4, basis: 'editorial' }
					]
				},
				items
			)
		).toBeNull();
		expect(checkRelations(proposal, { subkind: null, kpi: null }, items)).toBeNull();
	});

	test('a subkind outside the vocabulary, and a KPI too long or with a control character', () => {
		expect(checkRelations(proposal, { subkind: 'policy' }, items)).toBe('subkind');
		expect(checkRelations(proposal, { kpi: 'x'.repeat(301) }, items)).toBe('kpi');
		expect(checkRelations(proposal, { kpi: 'a\u0007b' }, items)).toBe('kpi');
		expect(checkRelations(proposal, { kpi: 'x'.repeat(300) }, items)).toBeNull();
	});

	test('a parent that is unknown, the item itself, or below it (a loop)', () => {
		expect(checkRelations(proposal, { parent: 99 }, items)).toBe('parentUnknown');
		expect(checkRelations(proposal, { parent: 2 }, items)).toBe('parentSelf');
		// 4 → 3 → 2: making 4 the parent of 2 closes the loop.
		expect(checkRelations(proposal, { parent: 4 }, items)).toBe('parentLoop');
		expect(checkRelations(proposal, { parent: 1 }, items)).toBeNull();
	});

	test('links: unknown target, to itself, "addresses" only from a proposal or target to an issue', () => {
		const link = (type: 'addresses' | 'restates', target: number) => ({
			links: [{ type, target, basis: 'editorial' as const }]
		});
		expect(checkRelations(proposal, link('addresses', 99), items)).toBe('linkUnknown');
		expect(checkRelations(proposal, link('restates', 2), items)).toBe('linkSelf');
		expect(checkRelations(proposal, link('addresses', 3), items)).toBe('linkDirection');
		expect(checkRelations({ id: 1, kind: 'issue' }, link('addresses', 1), items)).toBe('linkSelf');
		expect(checkRelations({ id: 5, kind: 'issue' }, link('addresses', 1), items)).toBe(
			'linkDirection'
		);
		expect(checkRelations({ id: 4, kind: 'target' }, link('addresses', 1), items)).toBeNull();
		expect(
			checkRelations(
				proposal,
				{ links: [{ type: 'supports' as 'addresses', target: 1, basis: 'stated' }] },
				items
			)
		).toBe('linkShape');
		expect(
			checkRelations(
				proposal,
				{ links: Array.from({ length: 21 }, () => ({ ...link('restates', 3).links[0]! })) },
				items
			)
		).toBe('linkTooMany');
	});

	test('item references are "#12" or "12"', () => {
		expect(parseItemRef('#12')).toBe(12);
		expect(parseItemRef(' 12 ')).toBe(12);
		expect(parseItemRef('im-001')).toBeNull();
		expect(parseItemRef('#')).toBeNull();
	});
});

describe('buildImportSeed: sections, relations, pages', () => {
	const TEXT = '現状\n人材が不足している。\n提言\n人材育成を推進すべきである。\n';
	const meta = {
		slug: 'x-plan',
		title_ja: '計画',
		title_en: 'Plan',
		publisher_ja: '会',
		publisher_en: 'Council',
		date: '2026-04',
		date_note: null,
		kind: 'council_report' as const,
		summary_ja: '要約',
		summary_en: 'Summary'
	};
	const outline = (en: [string, string]) => [
		{ parent: null, number: null, title: '現状', start: 0, end: 16, depth: 0, title_en: en[0] },
		{
			parent: null,
			number: null,
			title: '提言',
			start: 16,
			end: TEXT.length,
			depth: 0,
			title_en: en[1]
		}
	];
	const base = (
		id: number,
		start: string,
		kind: ImportItem['kind'],
		section: number
	): ImportItem => {
		const s = TEXT.indexOf(start);
		return {
			id,
			start: s,
			end: TEXT.indexOf('。', s) + 1,
			section,
			kind,
			subkind: null,
			modality: null,
			horizon: null,
			status: 'accepted',
			title_ja: `項目${id}`,
			title_en: `Item ${id}`,
			summary_ja: '要約',
			themes: ['talent'],
			actors: [],
			kpi: null,
			parent: null,
			links: [],
			published_id: null
		};
	};
	const issue = base(10, '人材が', 'issue', 0);
	const prop: ImportItem = {
		...base(11, '人材育成', 'proposal', 1),
		subkind: 'measure',
		kpi: '2030年に倍増',
		parent: null,
		links: [{ type: 'addresses', target: 10, basis: 'stated' }]
	};

	test('a section without an English title stops the build, named with its Japanese title', () => {
		const b = buildImportSeed(
			'abc',
			'900_0000000000000000.txt',
			TEXT,
			meta,
			outline(['', 'Proposals']),
			[issue, prop]
		);
		expect(b.seed).toBeNull();
		expect(b.problems).toEqual([{ where: 'section:0', message: 'English title missing: 現状' }]);
	});

	test('subkind, KPI, parent and links reach the seed under library ids; page only from a PDF', () => {
		const child = { ...base(12, '人材育成', 'proposal', 1), parent: 11 };
		const b = buildImportSeed(
			'abc',
			'900_0000000000000000.txt',
			TEXT,
			meta,
			outline(['Current state', 'Proposals']),
			[issue, prop, child],
			[0, 16]
		);
		expect(b.problems).toEqual([]);
		const [i1, i2, i3] = b.seed!.items;
		expect(b.seed!.outline.map((s) => s.title_en)).toEqual(['Current state', 'Proposals']);
		expect(i2).toMatchObject({
			subkind: 'measure',
			kpi: '2030年に倍増',
			links: [{ type: 'addresses', target: i1!.id, basis: 'stated' }],
			page: 2
		});
		expect(i3).toMatchObject({ parent: i2!.id, page: 2 });
		expect(i1!.page).toBe(1);
		const noPages = buildImportSeed(
			'abc',
			'900_0000000000000000.txt',
			TEXT,
			meta,
			outline(['a', 'b']),
			[issue]
		);
		expect(noPages.seed!.items[0]).not.toHaveProperty('page');
		// The field is optional in the seed schema, and when given a page number from 1.
		const [withPage] = b.seed!.items;
		expect(seedItem.safeParse({ ...withPage, page: 0 }).success).toBe(false);
		expect(seedItem.safeParse({ ...withPage, page: 1.5 }).success).toBe(false);
		expect(seedItem.safeParse(noPages.seed!.items[0]).success).toBe(true);
	});

	test('a parent or link to an item that is not accepted is named', () => {
		const b = buildImportSeed('abc', '900_0000000000000000.txt', TEXT, meta, outline(['a', 'b']), [
			{ ...issue, status: 'rejected' },
			{ ...prop, parent: 10 }
		]);
		expect(b.seed).toBeNull();
		expect(b.problems.map((p) => p.message)).toEqual([
			'parent #10 is not an accepted item',
			'link target #10 is not an accepted item'
		]);
	});
});
