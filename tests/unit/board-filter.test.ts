import { describe, expect, it } from 'vitest';
import {
	EMPTY_FILTER,
	isFiltering,
	matchesFilter,
	splitMatch
} from '../../src/lib/domain/board/filter';

const card = {
	title: 'デジタル人材の育成とＡＩ教育',
	titleEn: 'Training digital talent',
	note: 'ﾘｽｷﾘﾝｸﾞも含む',
	kind: 'proposal' as const,
	sources: [{ reportSlug: 'cocn-7th-basic-plan-2025' }] as never[],
	labels: ['l1'],
	createdBy: { id: 7, name: '山田' }
};
const sectors = (id: number) => (id === 7 ? 'academia' : undefined);
const m = (f: Partial<typeof EMPTY_FILTER>) =>
	matchesFilter(card, { ...EMPTY_FILTER, ...f }, sectors);

describe('matchesFilter', () => {
	it('finds Japanese substrings in the title and note, folding widths and case', () => {
		expect(m({ text: '人材の育成' })).toBe(true);
		expect(m({ text: 'ai教育' })).toBe(true);
		expect(m({ text: 'リスキリング' })).toBe(true);
		expect(m({ text: 'DIGITAL' })).toBe(true);
		expect(m({ text: '研究' })).toBe(false);
	});
	it('narrows by kind, report, label and the author’s sector, all at once', () => {
		expect(
			m({ kind: 'proposal', report: 'cocn-7th-basic-plan-2025', label: 'l1', sector: 'academia' })
		).toBe(true);
		expect(m({ kind: 'issue' })).toBe(false);
		expect(m({ report: 'gx2040-innovation-ecosystem-2024' })).toBe(false);
		expect(m({ label: 'l2' })).toBe(false);
		expect(m({ sector: 'industry' })).toBe(false);
	});
	it('an empty filter matches everything and is not filtering', () => {
		expect(m({})).toBe(true);
		expect(isFiltering(EMPTY_FILTER)).toBe(false);
		expect(isFiltering({ ...EMPTY_FILTER, text: '  ' })).toBe(false);
		expect(isFiltering({ ...EMPTY_FILTER, label: 'l1' })).toBe(true);
	});
});

describe('splitMatch', () => {
	it('cuts the title around the match for highlighting', () => {
		expect(splitMatch(card.title, '人材')).toEqual(['デジタル', '人材', 'の育成とＡＩ教育']);
		expect(splitMatch(card.title, 'ai')).toEqual(['デジタル人材の育成と', 'ＡＩ', '教育']);
		expect(splitMatch(card.title, 'リスキリング')).toBeNull();
		expect(splitMatch(card.title, '')).toBeNull();
	});
});
