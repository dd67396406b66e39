import { describe, expect, test } from 'vitest';
import {
	bareHeadingOf,
	detectOutline,
	headingOf,
	sectionAt
} from '../../src/lib/domain/library/import-outline';

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

/**
 * Headings without a number, on passages of the five reports (cleaned text). Measured on all
 * five: the curated outlines' unnumbered sections found went from 0 to 13 of 24 (all curated
 * sections found: 99 → 115 of 147), and 30 lines became unnumbered headings (13 of them curated
 * sections, most others real headings deeper than the curators kept, a few captions), against
 * 189 numbered ones.
 */
// METI 産業技術ビジョン 2020.
const VISION_BODY =
	'過去 30 年のグローバリゼーション×デジタリゼーションによってイノベーションメカニズムは激変した。';

describe('bareHeadingOf', () => {
	test.each([
		// Front and back matter words, alone or with a subtitle (MIC, METI, COCN, GX).
		[
			null,
			'はじめに',
			'現在、日本と世界は、AI、IoT、ビッグデータなどが牽引している第四次産業革命によって、',
			'matter'
		],
		[
			null,
			'はじめに － Toward Society5.0',
			'本質的な問題に「中長期の視点」と「スピード感」を持って挑戦し続ける。',
			'matter'
		],
		['5.2 最先端技術研究のためのオフキャンパス', 'まとめ', 'COCNの危機感', 'matter'],
		[
			'これらの著作権は同メディアに帰属します。',
			'要旨',
			'最先端の「技術」や「ビジネスモデル」のノウハウを購入する仕組み',
			'matter'
		],
		// A short unpunctuated line between the end of a sentence and body text (METI 2020).
		[
			'多くの国が、国を挙げて変化に戦略的に対応しようとしている。',
			'知的資本主義経済への移行',
			VISION_BODY,
			'bare'
		],
		[
			'Society5.0-ready への鍵は知的資本主義経済への移行。',
			'もはや分岐点は超えた',
			VISION_BODY,
			'bare'
		]
	] as const)('%s / %s', (prev, line, next, kind) => {
		expect(bareHeadingOf(prev, line, next)).toBe(kind);
	});

	test('short lines that are not headings', () => {
		const cases: [string | null, string, string | null][] = [
			// The end of a wrapped sentence: the line before does not close a sentence.
			[
				'日本の対応が遅れる原因が今の日本の慣行にあるとすれば、論点は科学技術のみならず',
				'組織、雇用・労働',
				VISION_BODY
			],
			// A chart label or table cell: short lines follow, not body text.
			['上記の傾向は当面続く。', '価値軸の転換', '2050年'],
			// Punctuated, bulleted, a footnote marker, a figure, a numbered list in kana.
			['上記の傾向は当面続く。', '価値軸の転換。', VISION_BODY],
			['上記の傾向は当面続く。', '• 人材の流動化', VISION_BODY],
			['上記の傾向は当面続く。', 'ロボット生産国 67', VISION_BODY],
			['上記の傾向は当面続く。', '図3 研究開発費の推移', VISION_BODY],
			['上記の傾向は当面続く。', 'イ 研究開発成果の社会実装の促進', VISION_BODY],
			['上記の傾向は当面続く。', '≪具体例≫', VISION_BODY],
			// Too long for a heading without number.
			[
				'上記の傾向は当面続く。',
				'サーキュラーエコノミーを含む持続可能な地球環境の実現に向けた取組',
				VISION_BODY
			],
			// Nothing after it, or a numbered heading after it (a run of headings: only the numbered one).
			['上記の傾向は当面続く。', '価値軸の転換', null],
			['上記の傾向は当面続く。', '価値軸の転換', '(1) 研究開発投資の拡大'],
			// A table of contents: a heading follows the matter word.
			[null, 'はじめに', '第１章 「ICT グローバル戦略」策定の必要性'],
			// No Japanese in it.
			['上記の傾向は当面続く。', 'Society 5.0', VISION_BODY]
		];
		for (const [prev, line, next] of cases)
			expect(bareHeadingOf(prev, line, next), line).toBeNull();
	});
});

describe('detectOutline: headings without number', () => {
	test('front matter stands at the top and nothing nests under it; a bare heading nests under the numbered one open', () => {
		const text = [
			'はじめに',
			'現在、日本と世界は、AI、IoT、ビッグデータなどが牽引している第四次産業革命の中にある。',
			'第1章 世界の動向',
			'多くの国が、国を挙げて変化に戦略的に対応しようとしている。',
			'知的資本主義経済への移行',
			VISION_BODY,
			'価値軸の転換',
			'一方で、資源・環境制約が急速に強まっていることなどから SDGs の重要性が増大している。',
			'第2章 提言',
			'研究開発投資を拡大すべきである。',
			'おわりに',
			'本報告書の提言が、次期基本計画の議論に資することを期待する。'
		].join('\n');
		expect(detectOutline(text).map((s) => [s.style, s.title, s.depth, s.parent])).toEqual([
			['matter', 'はじめに', 0, null],
			['chapter', '世界の動向', 0, null],
			['bare', '知的資本主義経済への移行', 1, 1],
			['bare', '価値軸の転換', 1, 1],
			['chapter', '提言', 0, null],
			['matter', 'おわりに', 0, null]
		]);
	});
});
