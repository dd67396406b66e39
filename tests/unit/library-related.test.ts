import { describe, expect, test } from 'vitest';
import {
	jaccard,
	RELATED_THRESHOLD,
	relatedAcrossGroups,
	relatedScore,
	THEME_WEIGHT,
	trigrams,
	type RelatedDoc
} from '../../src/lib/domain/library/related';

/** Issue 3: "related across reports" — likely duplicates of an item in the other reports. */

const doc = (
	id: string,
	group: string,
	text: string,
	themes: string[] = ['talent']
): RelatedDoc => ({
	id,
	group,
	text,
	themes
});

/** A small corpus: two near-duplicates in different reports, and unrelated filler. */
const corpus: RelatedDoc[] = [
	doc('a-001', 'a', '研究セキュリティを確保した産学共同研究環境の整備が必要', [
		'research_security'
	]),
	doc('b-001', 'b', '研究セキュリティを確保した共同研究環境を整備する', ['research_security']),
	doc('a-002', 'a', '研究セキュリティを確保した大学の体制づくり', ['research_security']),
	doc('b-002', 'b', '洋上風力発電の導入拡大と系統整備', ['energy_environment']),
	doc('c-001', 'c', '半導体サプライチェーンの強靭化', ['semiconductors']),
	doc('c-002', 'c', '女性研究者の活躍推進と育児支援', ['diversity']),
	doc('d-001', 'd', 'スタートアップへの公共調達の拡大', ['startups']),
	doc('d-002', 'd', '地域の中小企業のデジタル化支援', ['smes_regions'])
];

describe('the related measure', () => {
	test('trigrams are the distinct three-character runs of the folded text, noise removed', () => {
		expect(trigrams('ＡＢＣ・ab c')).toEqual(new Set(['abc', 'bca', 'cab']));
		expect(trigrams('人材育成')).toEqual(new Set(['人材育', '材育成']));
		expect(trigrams('人材')).toEqual(new Set());
		expect(trigrams('、。「」 \n')).toEqual(new Set());
	});

	test('jaccard is shared over all, 0 for nothing in common', () => {
		expect(jaccard(['a', 'b'], ['b', 'c'])).toBeCloseTo(1 / 3);
		expect(jaccard(['a'], ['a'])).toBe(1);
		expect(jaccard(['a'], ['b'])).toBe(0);
		expect(jaccard([], [])).toBe(0);
	});

	test('themes keep or discount textual similarity, never create it', () => {
		expect(relatedScore(0.4, 1)).toBeCloseTo(0.4);
		expect(relatedScore(0.4, 0)).toBeCloseTo(0.4 * (1 - THEME_WEIGHT));
		expect(relatedScore(0, 1)).toBe(0);
		expect(relatedScore(0.4, 0.5)).toBeGreaterThan(relatedScore(0.4, 0));
	});

	test('a near-duplicate in another report is found; the same report never is', () => {
		const related = relatedAcrossGroups(corpus, { threshold: 0.1 });
		const ofA = related.get('a-001') ?? [];
		expect(ofA[0]?.id).toBe('b-001');
		expect(ofA.map((r) => r.id)).not.toContain('a-002');
		for (const [id, list] of related) {
			for (const r of list) expect(r.id.slice(0, 1)).not.toBe(id.slice(0, 1));
		}
		expect(related.get('c-001')).toBeUndefined();
	});

	test('the score is symmetric, in [0, 1], rounded to three decimals', () => {
		const related = relatedAcrossGroups(corpus, { threshold: 0 });
		const ab = related.get('a-001')?.find((r) => r.id === 'b-001')?.score;
		const ba = related.get('b-001')?.find((r) => r.id === 'a-001')?.score;
		expect(ab).toBeDefined();
		expect(ab).toBe(ba);
		for (const list of related.values())
			for (const r of list) {
				expect(r.score).toBeGreaterThanOrEqual(0);
				expect(r.score).toBeLessThanOrEqual(1);
				expect(Math.round(r.score * 1000) / 1000).toBe(r.score);
			}
	});

	test('at most topK per item, best first, nothing under the threshold', () => {
		const related = relatedAcrossGroups(corpus, { threshold: 0, topK: 2 });
		for (const list of related.values()) {
			expect(list.length).toBeLessThanOrEqual(2);
			expect([...list].sort((x, y) => y.score - x.score)).toEqual(list);
		}
		const strict = relatedAcrossGroups(corpus, { threshold: RELATED_THRESHOLD });
		for (const list of strict.values())
			for (const r of list) expect(r.score).toBeGreaterThanOrEqual(RELATED_THRESHOLD);
	});

	test('the result does not depend on the order of the input', () => {
		const forward = relatedAcrossGroups(corpus, { threshold: 0 });
		const backward = relatedAcrossGroups([...corpus].reverse(), { threshold: 0 });
		expect(Object.fromEntries(backward)).toEqual(Object.fromEntries(forward));
	});

	test('sharing no theme marks a pair down', () => {
		const same = relatedAcrossGroups(corpus, { threshold: 0 });
		const otherThemes = relatedAcrossGroups(
			corpus.map((d) => (d.id === 'b-001' ? { ...d, themes: ['quantum'] } : d)),
			{ threshold: 0 }
		);
		const score = (m: Map<string, { id: string; score: number }[]>) =>
			m.get('a-001')?.find((r) => r.id === 'b-001')?.score ?? 0;
		expect(score(otherThemes)).toBeLessThan(score(same));
	});
});
