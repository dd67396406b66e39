import { describe, expect, test } from 'vitest';
import { detectOutline, headingOf, sectionAt } from '../../src/lib/domain/library/import-outline';

/** Issue 17: outline detection on headings as the five reports print them. */

describe('headingOf', () => {
	test.each([
		[
			'第１章 「ICT グローバル戦略」策定の必要性',
			'chapter',
			'第１章',
			'「ICT グローバル戦略」策定の必要性'
		],
		['１．１ デジタル化の進展・効果', 'decimal2', '１．１', 'デジタル化の進展・効果'],
		[
			'1.1.1 デジタル・テクノロジーの社会への浸透',
			'decimal3',
			'1.1.1',
			'デジタル・テクノロジーの社会への浸透'
		],
		['Ⅰ. 2050 年の世界 避けられない潮流', 'roman', 'Ⅰ', '2050 年の世界 避けられない潮流'],
		['Ⅱ．世界の動向', 'roman', 'Ⅱ', '世界の動向'],
		['1. 科学技術政策ガバナンス強化', 'decimal1', '1', '科学技術政策ガバナンス強化'],
		['２．イノベーションメカニズムの変化', 'decimal1', '２', 'イノベーションメカニズムの変化'],
		['(1) 研究開発投資の拡大', 'paren', '(1)', '研究開発投資の拡大'],
		['（２）人材の流動化', 'paren', '（２）', '人材の流動化'],
		[
			'①スタートアップエコシステムの形成、投資環境の改善（短期）',
			'circled',
			'①',
			'スタートアップエコシステムの形成、投資環境の改善（短期）'
		],
		['ア．国際標準化', 'kata', 'ア', '国際標準化'],
		['ⅰ) 研究者の流動性', 'roman-small', 'ⅰ)', '研究者の流動性'],
		['【現状・課題】', 'bracket', null, '現状・課題'],
		['《提言》', 'bracket', null, '提言'],
		['## 重点施策', 'md2', null, '重点施策']
	])('%s', (line, style, number, title) => {
		expect(headingOf(line)).toEqual({ style, number, title });
	});

	test('numbered sentences, dates and lists are not headings', () => {
		for (const line of [
			'2050 年に向けて、地球規模で、①世界人口のピークアウト 3、②資源・環境制約の顕在化が進む。',
			'①世界人口のピークアウト、②資源・環境制約、③デジタルエコノミーへの移行、④地政学リスク、⑤レジリエンス',
			'2025年3月26日',
			'1. 本報告書は、懇談会における議論を取りまとめたものである。',
			'19.5 兆円のうち 73%',
			'ただの一文。'
		])
			expect(headingOf(line), line).toBeNull();
	});
});

describe('detectOutline', () => {
	test('nests by order of appearance: a style already open is a sibling (MIC report)', () => {
		const text = [
			'はじめに',
			'第１章 「ICT グローバル戦略」策定の必要性',
			'１．１ デジタル化の進展・効果',
			'1.1.1 デジタル・テクノロジーの社会への浸透',
			'インターネットの利用は世界的に拡大を続けている。',
			'1.1.2 デジタル化が経済に与える影響',
			'１．２ デジタル化の課題',
			'【現状・課題】',
			'日本企業が単体で海外展開の取組を行うことは困難である。',
			'【今後の取組例】',
			'第２章 ICT グローバル戦略'
		].join('\n');
		const outline = detectOutline(text);
		const shape = outline.map((s) => [
			s.number ?? s.title,
			s.parent === null ? null : (outline[s.parent]?.number ?? outline[s.parent]?.title)
		]);
		expect(shape).toEqual([
			['本文', null],
			['第１章', null],
			['１．１', '第１章'],
			['1.1.1', '１．１'],
			['1.1.2', '１．１'],
			['１．２', '第１章'],
			['現状・課題', '１．２'],
			['今後の取組例', '１．２'],
			['第２章', null]
		]);
		const at = text.indexOf('日本企業が単体で');
		expect(outline[sectionAt(outline, at)]?.title).toBe('現状・課題');
		expect(outline[0]?.end).toBe(outline[1]?.start);
	});

	test('Markdown levels are explicit', () => {
		const outline = detectOutline('# 報告書\n## 現状\n本文。\n### 詳細\n## 提言\n# 付録');
		expect(outline.map((s) => [s.title, s.depth])).toEqual([
			['報告書', 0],
			['現状', 1],
			['詳細', 2],
			['提言', 1],
			['付録', 0]
		]);
	});

	test('a text without headings is one section', () => {
		const outline = detectOutline('一文目。二文目。');
		expect(outline).toHaveLength(1);
		expect(outline[0]).toMatchObject({ start: 0, end: 8, parent: null });
	});
});
