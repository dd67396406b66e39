import { describe, expect, test } from 'vitest';
import { fold, foldWithMap } from '../../src/lib/domain/library/fold';
import {
	hasHit,
	highlight,
	isShortWord,
	MAX_SEARCH_TERMS,
	searchTerms,
	type Segment
} from '../../src/lib/domain/library/highlight';
import {
	isSearching,
	parseSearchParams,
	SEARCH_QUERY_MAX,
	searchParamsOf
} from '../../src/lib/domain/library/search-query';
import {
	parseSelection,
	SELECTION_MAX,
	serialiseSelection
} from '../../src/lib/domain/library/selection';
import { ftsQuery, likePattern, wordGlob } from '../../src/lib/server/reports/search';

/** Issue 3: search terms, highlight segments and the URL shapes of search and selection. */

const join = (segments: Segment[]) => segments.map((s) => s.text).join('');
const hits = (segments: Segment[]) => segments.filter((s) => s.hit).map((s) => s.text);

describe('folding', () => {
	test('full-width forms and case fold to one form', () => {
		expect(fold('ＡＩと５Ｇ、１０％')).toBe('aiと5g、10%');
		expect(fold('Talent')).toBe('talent');
		expect(fold('人材')).toBe('人材');
	});

	test('with and without a map, text folds the same', () => {
		for (const text of ['人材育成 Talent', 'ＡＩと５Ｇ', 'İstanbul', '𠮷野家の AI', ''])
			expect(foldWithMap(text).folded).toBe(fold(text));
		const plain = foldWithMap('AI人材');
		expect(plain.start).toEqual([0, 1, 2, 3]);
		expect(plain.end).toEqual([1, 2, 3, 4]);
	});

	test('the map leads every folded position back to the original', () => {
		const text = 'xＡＩ人材';
		const { folded, start, end } = foldWithMap(text);
		expect(folded).toBe('xai人材');
		expect(start).toEqual([0, 1, 2, 3, 4]);
		expect(end).toEqual([1, 2, 3, 4, 5]);
	});
});

describe('search terms', () => {
	test('split on any whitespace, folded, without repeats', () => {
		expect(searchTerms(' 人材\u3000育成  Talent talent ')).toEqual(['人材', '育成', 'talent']);
		expect(searchTerms('   ')).toEqual([]);
	});

	test('at most MAX_SEARCH_TERMS terms are used', () => {
		const many = Array.from({ length: 20 }, (_, i) => `t${i}`).join(' ');
		expect(searchTerms(many)).toHaveLength(MAX_SEARCH_TERMS);
	});

	test('short ASCII terms are whole words; Japanese and symbols are not', () => {
		expect(isShortWord('ai')).toBe(true);
		expect(isShortWord('5g')).toBe(true);
		expect(isShortWord('iot')).toBe(false);
		expect(isShortWord('量子')).toBe(false);
		expect(isShortWord('%')).toBe(false);
	});
});

describe('highlight segments', () => {
	test('the segments put back together are the text, with every match marked', () => {
		const text = '人材育成と人材流動';
		const segments = highlight(text, ['人材']);
		expect(join(segments)).toBe(text);
		expect(segments).toEqual([
			{ text: '人材', hit: true },
			{ text: '育成と', hit: false },
			{ text: '人材', hit: true },
			{ text: '流動', hit: false }
		]);
		expect(hasHit(segments)).toBe(true);
	});

	test('overlapping and touching matches merge into one mark', () => {
		expect(hits(highlight('研究セキュリティ', ['研究セ', 'セキュリティ']))).toEqual([
			'研究セキュリティ'
		]);
		expect(hits(highlight('人材育成', ['人材', '育成']))).toEqual(['人材育成']);
	});

	test('matches are marked as printed: 5g marks ５Ｇ, talent marks Talent', () => {
		expect(hits(highlight('５Ｇ普及', ['5g']))).toEqual(['５Ｇ']);
		expect(hits(highlight('Talent and talents', ['talent']))).toEqual(['Talent', 'talent']);
	});

	test('a short ASCII word is marked only as a whole word', () => {
		expect(hits(highlight('生成AI競争 and again the chain', ['ai']))).toEqual(['AI']);
		expect(hasHit(highlight('maintain', ['ai']))).toBe(false);
	});

	test('no term, or an empty text, gives plain segments', () => {
		expect(highlight('人材', [])).toEqual([{ text: '人材', hit: false }]);
		expect(highlight('', ['人材'])).toEqual([]);
	});

	test('markup in the text stays text (the page escapes it)', () => {
		expect(join(highlight('<b>人材</b>', ['人材']))).toBe('<b>人材</b>');
	});
});

describe('what reaches SQL', () => {
	test('every FTS term is one quoted string, quotes doubled', () => {
		expect(ftsQuery(['人材育成'])).toBe('"人材育成"');
		expect(ftsQuery(['a"b', 'near(x'])).toBe('"a""b" "near(x"');
	});

	test('LIKE patterns escape \\, % and _', () => {
		expect(likePattern('10%')).toBe('%10\\%%');
		expect(likePattern('a_b')).toBe('%a\\_b%');
		expect(likePattern('\\')).toBe('%\\\\%');
	});

	test('a short word becomes a GLOB with non-alphanumeric neighbours', () => {
		expect(wordGlob('ai')).toBe('*[^a-z0-9]ai[^a-z0-9]*');
	});
});

describe('search URL parameters', () => {
	const parse = (query: string) => parseSearchParams(new URLSearchParams(query));

	test('a full query parses, and empty values mean "any"', () => {
		expect(
			parse(
				'q=人材&report=meti-tech-vision-2020&kind=issue&theme=talent&actor=universities&horizon=2030&page=2'
			)
		).toEqual({
			ok: true,
			query: {
				q: '人材',
				report: 'meti-tech-vision-2020',
				kind: 'issue',
				theme: 'talent',
				actor: 'universities',
				horizon: 2030,
				page: 2
			}
		});
		expect(parse('q=&kind=&theme=')).toEqual({ ok: true, query: { q: '', page: 1 } });
	});

	test('each bad parameter is named, and the good ones are kept', () => {
		expect(parse('q=人材&kind=wish&theme=talent&horizon=soon&page=0')).toEqual({
			ok: false,
			query: { q: '人材', theme: 'talent', page: 1 },
			invalid: ['kind', 'horizon', 'page']
		});
		expect(parse('report=../../etc').ok).toBe(false);
		expect(parse('page=1e9').ok).toBe(false);
	});

	test(`a query over ${SEARCH_QUERY_MAX} characters, or with control characters, is refused`, () => {
		expect(parse(`q=${'あ'.repeat(SEARCH_QUERY_MAX)}`).ok).toBe(true);
		const long = parse(`q=${'あ'.repeat(SEARCH_QUERY_MAX + 1)}`);
		expect(long.ok).toBe(false);
		expect(long.ok === false && long.invalid).toEqual(['q']);
		expect(parse('q=%00人材').ok).toBe(false);
	});

	test('the URL of a query parses back to it', () => {
		const query = { q: '研究 セキュリティ', kind: 'proposal' as const, horizon: 2025, page: 3 };
		const back = parseSearchParams(searchParamsOf(query));
		expect(back).toEqual({ ok: true, query });
		expect(searchParamsOf({ q: '', page: 1 }).toString()).toBe('');
	});

	test('searching means text or any filter', () => {
		expect(isSearching({ q: '  ' })).toBe(false);
		expect(isSearching({ q: '', kind: 'issue' })).toBe(true);
		expect(isSearching({ q: 'AI' })).toBe(true);
	});
});

describe('a selection of items in the URL', () => {
	test('ids are validated and deduplicated, in first-seen order', () => {
		const params = new URLSearchParams(
			'item=tv20-001&item=im19-014&item=tv20-001&item=nope&item=DROP TABLE&item=ict19-1000'
		);
		expect(parseSelection(params)).toEqual({
			ids: ['tv20-001', 'im19-014', 'ict19-1000'],
			dropped: 2
		});
	});

	test(`at most ${SELECTION_MAX} items are kept`, () => {
		const many = Array.from(
			{ length: SELECTION_MAX + 5 },
			(_, i) => `tv20-${String(i).padStart(3, '0')}`
		);
		const selection = parseSelection(serialiseSelection(many));
		expect(selection.ids).toHaveLength(SELECTION_MAX);
		expect(parseSelection(new URLSearchParams(many.map((id) => ['item', id]))).dropped).toBe(5);
	});

	test('serialising and parsing round-trip', () => {
		const ids = ['cocn25-001', 'gx24-010'];
		expect(serialiseSelection(ids).toString()).toBe('item=cocn25-001&item=gx24-010');
		expect(parseSelection(serialiseSelection(ids)).ids).toEqual(ids);
	});
});
