import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../src/lib/domain/board/limits';
import {
	checkPicks,
	DEFAULT_KINDS,
	groupByReportAndSection,
	narrowItems,
	offeredValues,
	readNarrowing,
	readPicks,
	relevantNarrowing,
	type CandidateItem,
	type Narrowing
} from '../../src/lib/domain/board/narrow';

const item = (
	id: string,
	kind: CandidateItem['kind'],
	reportSlug: string,
	sectionId: string,
	themes: string[]
): CandidateItem => ({ id, kind, reportSlug, sectionId, themes });

const ITEMS: CandidateItem[] = [
	item('aa-001', 'issue', 'rep-a', 'aa-s1', ['talent', 'education']),
	item('aa-002', 'proposal', 'rep-a', 'aa-s1', ['talent']),
	item('aa-003', 'proposal', 'rep-a', 'aa-s2', ['ai']),
	item('aa-004', 'target', 'rep-a', 'aa-s2', ['talent']),
	item('bb-001', 'proposal', 'rep-b', 'bb-s1', ['education']),
	item('bb-002', 'issue', 'rep-b', 'bb-s1', [])
];
const ALL: Narrowing = {
	kinds: ['issue', 'proposal', 'target'],
	reports: [],
	sections: [],
	themes: []
};
const ids = (xs: readonly CandidateItem[]) => xs.map((x) => x.id);

describe('narrowItems', () => {
	it('keeps every item when nothing narrows, in the given order', () => {
		expect(ids(narrowItems(ITEMS, ALL).matched)).toEqual(ids(ITEMS));
	});

	it('needs one of the chosen kinds; no kind chosen matches nothing', () => {
		expect(ids(narrowItems(ITEMS, { ...ALL, kinds: ['issue'] }).matched)).toEqual([
			'aa-001',
			'bb-002'
		]);
		expect(narrowItems(ITEMS, { ...ALL, kinds: [] }).matched).toEqual([]);
	});

	it('ORs values within a dimension and ANDs across dimensions', () => {
		const n: Narrowing = {
			kinds: ['issue', 'proposal'],
			reports: ['rep-a'],
			sections: [],
			themes: ['ai', 'education']
		};
		expect(ids(narrowItems(ITEMS, n).matched)).toEqual(['aa-001', 'aa-003']);
		expect(ids(narrowItems(ITEMS, { ...ALL, sections: ['aa-s2', 'bb-s1'] }).matched)).toEqual([
			'aa-003',
			'aa-004',
			'bb-001',
			'bb-002'
		]);
	});

	it('counts each facet value among items passing the other dimensions', () => {
		const { facets } = narrowItems(ITEMS, { ...ALL, kinds: ['proposal'], themes: ['talent'] });
		// Kinds: items with the theme talent, whatever their kind.
		expect(facets.kinds).toEqual({ issue: 1, proposal: 1, target: 1 });
		// Themes: proposals, whatever their themes (an item counts once per theme it has).
		expect(facets.themes).toEqual({ talent: 1, ai: 1, education: 1 });
		// Reports and sections: proposals with the theme talent.
		expect(facets.reports).toEqual({ 'rep-a': 1 });
		expect(facets.sections).toEqual({ 'aa-s1': 1 });
	});
});

describe('relevantNarrowing', () => {
	it('drops values no candidate has, so a stale filter cannot empty the list', () => {
		const onlyA = ITEMS.filter((i) => i.reportSlug === 'rep-a');
		const n = relevantNarrowing(onlyA, {
			kinds: ['issue'],
			reports: ['rep-b'],
			sections: ['bb-s1', 'aa-s2'],
			themes: ['ai', 'quantum']
		});
		expect(n).toEqual({ kinds: ['issue'], reports: [], sections: ['aa-s2'], themes: ['ai'] });
	});
});

describe('offeredValues', () => {
	it('lists each report, its sections and every theme once', () => {
		const o = offeredValues(ITEMS);
		expect(o.reports).toEqual(['rep-a', 'rep-b']);
		expect(o.sections).toEqual([
			{ reportSlug: 'rep-a', ids: ['aa-s1', 'aa-s2'] },
			{ reportSlug: 'rep-b', ids: ['bb-s1'] }
		]);
		expect([...o.themes].sort()).toEqual(['ai', 'education', 'talent']);
	});
});

describe('groupByReportAndSection', () => {
	it('groups in order of first appearance with counts', () => {
		const groups = groupByReportAndSection(ITEMS);
		expect(groups.map((g) => [g.reportSlug, g.count])).toEqual([
			['rep-a', 4],
			['rep-b', 2]
		]);
		expect(groups[0]?.sections.map((s) => [s.sectionId, ids(s.items)])).toEqual([
			['aa-s1', ['aa-001', 'aa-002']],
			['aa-s2', ['aa-003', 'aa-004']]
		]);
	});
});

describe('checkPicks', () => {
	const matched = narrowItems(ITEMS, { ...ALL, kinds: ['proposal'] }).matched;

	it('returns the ticked ids in the items order, without repeats', () => {
		expect(checkPicks(matched, ['bb-001', 'aa-002', 'bb-001'])).toEqual({
			ok: true,
			ids: ['aa-002', 'bb-001']
		});
	});

	it('refuses an id the narrowed template does not offer, even one of the library', () => {
		// aa-001 exists but is an issue: the form was not the one served, or was tampered with.
		expect(checkPicks(matched, ['aa-002', 'aa-001'])).toEqual({ ok: false, problem: 'outside' });
		expect(checkPicks(matched, ['zz-999'])).toEqual({ ok: false, problem: 'outside' });
	});

	it('refuses an empty choice and one over the seed limit', () => {
		expect(checkPicks(matched, [])).toEqual({ ok: false, problem: 'none' });
		const many = Array.from({ length: LIMITS.seedItems + 1 }, (_, i) =>
			item(`cc-${String(i).padStart(4, '0')}`, 'issue', 'rep-c', 'cc-s1', [])
		);
		expect(checkPicks(many, ids(many))).toEqual({ ok: false, problem: 'too_many' });
		expect(checkPicks(many, ids(many).slice(1))).toMatchObject({ ok: true });
	});
});

describe('readNarrowing and readPicks', () => {
	it('defaults the kinds on a first visit but not once the form was sent', () => {
		expect(readNarrowing(new URLSearchParams())?.kinds).toEqual(DEFAULT_KINDS);
		expect(readNarrowing(new URLSearchParams('narrowed=1'))?.kinds).toEqual([]);
	});

	it('reads every dimension, dropping repeats', () => {
		const p = new URLSearchParams(
			'narrowed=1&kinds=issue&kinds=issue&in_report=rep-a&in_section=aa-s1&in_theme=talent'
		);
		expect(readNarrowing(p)).toEqual({
			kinds: ['issue'],
			reports: ['rep-a'],
			sections: ['aa-s1'],
			themes: ['talent']
		});
	});

	it('refuses the whole narrowing when a value is malformed', () => {
		expect(readNarrowing(new URLSearchParams('kinds=everything'))).toBeNull();
		expect(readNarrowing(new URLSearchParams('in_theme=not_a_theme'))).toBeNull();
		expect(readNarrowing(new URLSearchParams('in_report=../etc'))).toBeNull();
		expect(readPicks(new URLSearchParams('pick=aa-001&pick=<script>'))).toBeNull();
		expect(readPicks(new URLSearchParams('pick=aa-001&pick=aa-001'))).toEqual(['aa-001']);
	});
});
