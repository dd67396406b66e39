import { describe, expect, test } from 'vitest';
import {
	cleanImportedText,
	isPageNumberLine,
	pageAt,
	repairPdfCharacters,
	runningLines
} from '../../src/lib/domain/library/import-text';

/** Issue 17: clean-up of extracted text, on passages of the five reports as extracted. */

// 産業技術ビジョン2020 (000), page 1: a sentence broken over lines, with blank lines inside it.
const TECH_VISION = [
	' はじめに － Toward Society5.0 ',
	'本質的な問題に「中長期の視点」と「スピード感」を持って挑戦し続ける。 ',
	' ',
	'少子高齢化が進展する中、日本は産業競争力の強化、SDGs の達成やサーキュラーエコノミーへの移',
	'',
	'行、災害・感染症対策等の課題に対応しなければならず、一層のイノベーション創出が不可欠となってい',
	'る。しかしながら、米中がテクノロジーを梃子にイノベーション力を高めている一方で、日本の科学技術・イノ',
	'ベーションを巡る状況は芳しくない 1。第 5 期科学技術基本計画において、第 4 次産業革命による'
].join('\n');

describe('cleanImportedText', () => {
	test('joins the lines of a Japanese sentence, blank lines inside it included', () => {
		const { text } = cleanImportedText(TECH_VISION);
		expect(text).toContain(
			'日本は産業競争力の強化、SDGs の達成やサーキュラーエコノミーへの移行、災害・感染症対策等の課題に対応しなければならず、一層のイノベーション創出が不可欠となっている。'
		);
		// The title and the one-line motto stay blocks of their own.
		expect(text.split('\n').slice(0, 2)).toEqual([
			'はじめに － Toward Society5.0',
			'本質的な問題に「中長期の視点」と「スピード感」を持って挑戦し続ける。'
		]);
	});

	test('keeps full-width and half-width forms, and spaces inside a line, as in the source', () => {
		const { text } = cleanImportedText('ＩＣＴ　と ICT、１．５倍と 1.5 倍、第５期と第 5 期。');
		expect(text).toBe('ＩＣＴ　と ICT、１．５倍と 1.5 倍、第５期と第 5 期。');
		// A footnote number glued to a word is kept: the seed quotes keep it too.
		expect(cleanImportedText(TECH_VISION).text).toContain('状況は芳しくない 1。');
	});

	test('drops page numbers printed alone on a line (MIC report, pages 2 and 5)', () => {
		const mic =
			'4.0）に続く、新たな社会を指すもので、第５期科学技術基本計画に\n\nめて提唱。 \n\n\n\n \n\n2 \n\nルチステークホルダーによる取組により';
		const { text } = cleanImportedText(mic);
		expect(text).not.toMatch(/^2\s*$/mu);
		for (const line of ['2', ' 5 ', '- 12 -', '－３－', '12 / 40', 'p. 7', '（4）', '3 ページ'])
			expect(isPageNumberLine(line), line).toBe(true);
		for (const line of ['2050 年', '2 企業は、', '①', '1.1.1 デジタル'])
			expect(isPageNumberLine(line), line).toBe(false);
	});

	test('a heading, a bullet or a footnote starts a block of its own', () => {
		const cocn = [
			'各国は国力強化を5つの視点（外交力、防衛力、経済力、技術力、情報力）でとらえ、研究力とイノベーション力の強化は',
			'- ✓ 科学技術と関連する他の基本計画とフェーズ合わせ、出口段階の連携が描けていないのではないか',
			'《提言》',
			'- ✓ 国民が目指す国家像を描き、共有を図るべきである',
			'2 企業は、2018 年度の日本の科学技術研究費総額 19.5 兆円のうち 73%、また研究者数の'
		].join('\n');
		expect(cleanImportedText(cocn).text.split('\n')).toHaveLength(5);
	});

	test('joins English words with a space and undoes hyphenation at the margin', () => {
		const en =
			'The vision calls for a transition to an intellectual capital economy in which inter-\nnational collaboration and open innovation are the norm across all of the\nindustries concerned.';
		expect(cleanImportedText(en).text).toBe(
			'The vision calls for a transition to an intellectual capital economy in which international collaboration and open innovation are the norm across all of the industries concerned.'
		);
	});

	test('with pages: running headers and footers go, page starts are kept', () => {
		const bodies = [
			'第1節 インターネットの利用は世界的に拡大を続けている。',
			'前述のとおり、デジタル化が経済に与える影響は広範なものとなる。',
			'第3節 このように、デジタル化は経済発展と社会的課題解決の双方を実現する。',
			'アフリカは、経済成長が続く一方で、政治・社会情勢のリスクもある。'
		];
		const pages = bodies.map((body, i) =>
			['デジタル変革時代のICTグローバル戦略懇談会 報告書', body, `- ${i + 1} -`].join('\n')
		);
		expect(runningLines(pages).size).toBe(1);
		const { text, pageStarts } = cleanImportedText(pages);
		expect(text).not.toContain('懇談会 報告書');
		expect(pageStarts).toHaveLength(4);
		expect(text.slice(pageStarts[2])).toMatch(/^第3節/u);
		expect(pageAt(pageStarts, (pageStarts[2] ?? 0) + 3)).toBe(3);
		expect(pageAt(pageStarts, 0)).toBe(1);
	});

	test('radicals and hyphenation points from PDF fonts become the characters they stand for', () => {
		// What pdf.js reads from a Chromium-printed PDF in Noto Sans CJK.
		expect(repairPdfCharacters('⽇本の科学技術‧イノベーション')).toBe(
			'日本の科学技術・イノベーション'
		);
		// Elsewhere the hyphenation point stays, and width forms are never touched.
		expect(repairPdfCharacters('syl‧la‧ble ＡＩ ｶﾀｶﾅ')).toBe('syl‧la‧ble ＡＩ ｶﾀｶﾅ');
	});

	test('form feeds in plain text are page breaks; CRLF and control characters go', () => {
		const { text, pageStarts } = cleanImportedText('一頁目の文。\r\n\f二頁目\u0007の文。');
		expect(text).toBe('一頁目の文。\n二頁目の文。');
		expect(pageStarts).toEqual([0, 7]);
	});
});
