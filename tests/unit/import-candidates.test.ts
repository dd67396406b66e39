import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import {
	predicateOf,
	proposeCandidates,
	RULES,
	splitSentences
} from '../../src/lib/domain/library/import-candidates';
import { detectOutline } from '../../src/lib/domain/library/import-outline';
import { analyseImport } from '../../src/lib/domain/library/import-pipeline';
import { reportsDir } from '../../seeds/paths';

/** Issue 17: sentence splitting and the candidate rules, on sentences of the five reports. */

function candidatesOf(text: string) {
	const outline = detectOutline(text);
	return proposeCandidates(splitSentences(text, outline), outline);
}

function ruleOf(sentence: string): string | null {
	return candidatesOf(sentence)[0]?.rule ?? null;
}

describe('splitSentences', () => {
	test('splits at 。 and line ends; offsets point at the text verbatim', () => {
		const text =
			'今般の新型コロナウイルスによって、我々は戦後最大の危機に直面している。今回の事態は、一過性の事象にとどまらない。\n- ✓ 国民が目指す国家像を描き、共有を図るべきである';
		const outline = detectOutline(text);
		const sentences = splitSentences(text, outline);
		expect(sentences.map((s) => s.text)).toEqual([
			'今般の新型コロナウイルスによって、我々は戦後最大の危機に直面している。',
			'今回の事態は、一過性の事象にとどまらない。',
			'- ✓ 国民が目指す国家像を描き、共有を図るべきである'
		]);
		for (const s of sentences) expect(text.slice(s.start, s.end)).toBe(s.text);
		expect(sentences[2]?.bullet).toBe(true);
	});

	test('a closing bracket after 。 stays with its sentence', () => {
		const s = splitSentences(
			'「自前主義を脱却し、オープンイノベーションを重視すべき。」と言われる。',
			detectOutline('')
		);
		expect(s.map((x) => x.text)).toEqual([
			'「自前主義を脱却し、オープンイノベーションを重視すべき。」',
			'と言われる。'
		]);
	});
});

describe('predicateOf', () => {
	test('strips asides, cross-references, actor codes and footnote numbers', () => {
		expect(
			predicateOf('投資や人材を引きつけていくことが必要である（バイオコミュニティ圏の形成）。')
		).toBe('投資や人材を引きつけていくことが必要である');
		expect(
			predicateOf('研究セキュリティを確保したオフキャンパスを構築する **産官学** ⇒第5章')
		).toBe('研究セキュリティを確保したオフキャンパスを構築する');
		expect(predicateOf('日本の科学技術・イノベーションを巡る状況は芳しくない 1。')).toBe(
			'日本の科学技術・イノベーションを巡る状況は芳しくない'
		);
	});
});

describe('the rules', () => {
	test.each([
		// 000 産業技術ビジョン2020
		['日本の科学技術・イノベーションを巡る状況は芳しくない 1。', 'issue', 'issue.negative'],
		['規模の経済の追求がより困難となる。', 'issue', 'issue.shortfall'],
		['Society5.0 への準備がまだできていないのではないか。', 'issue', 'issue.question'],
		['中長期的な視点で本質的な問題に取り組む必要がある。', 'proposal', 'proposal.hitsuyo'],
		[
			'日本は率先してそれを実現し、世界に貢献していかなければならない。',
			'proposal',
			'proposal.naranai'
		],
		[
			'これまでのような経済効率性を優先したグローバル・サプライチェーンは持続可能ではない。',
			'issue',
			'issue.negative'
		],
		['これまでのアナログベースの競争のルールを変える可能性がある。', 'issue', 'issue.risk'],
		// 001 イノベーションメカニズム
		[
			'基礎研究が生んだシーズを社会に出すことが大切であり、これらは重要である。',
			'proposal',
			'proposal.juyo'
		],
		// 002 ICTグローバル戦略
		['日本企業が単体で海外展開の取組を行うことは困難である。', 'issue', 'issue.shortfall'],
		[
			'2030 年までに Beyond 5G の国際標準化で 10%以上のシェアの獲得を目指す。',
			'target',
			'target.year-figure'
		],
		// 003 GX2040
		[
			'先端技術の実証に向けて、技術マップの深化・更新を行うエコシステムを実現してはどうか。',
			'proposal',
			'proposal.ikaga'
		],
		[
			'最先端技術と商業化の知見を日本に集約するエコシステムの形成を目指しては如何か',
			'proposal',
			'proposal.ikaga'
		],
		// 004 COCN
		['- ✓ 国民が目指す国家像を描き、共有を図るべきである', 'proposal', 'proposal.beki'],
		[
			'博士人材、若手のイノベーション人材を海外で鍛える仕組みをつくる 官学',
			'proposal',
			'proposal.commitment'
		]
	])('%s → %s (%s)', (sentence, kind, rule) => {
		const [c] = candidatesOf(sentence);
		expect(c?.kind).toBe(kind);
		expect(c?.rule).toBe(rule);
	});

	test('a plain statement outside issue or proposal sections is not proposed', () => {
		expect(
			ruleOf('この「産業技術ビジョン 2020」（以下、産業技術ビジョン）を策定した。')
		).toBeNull();
		expect(
			ruleOf('（出典）ITU「ITU World Telecommunication/ICT Indicators database」を基に総務省作成')
		).toBeNull();
	});

	test('the section decides a bare bullet: 《問題意識》 makes an issue, 《提言》 a proposal', () => {
		const text =
			'《問題意識》\n- ✓ 産官学の人材流動が極めて小さな規模にとどまる\n《提言》\n- ✓ 人と人をつなぐ仕組みの整備';
		expect(candidatesOf(text).map((c) => [c.kind, c.rule])).toEqual([
			['issue', 'issue.section'],
			['proposal', 'proposal.section']
		]);
	});

	test('every rule has a unique id and a kind prefix', () => {
		const ids = RULES.map((r) => r.id);
		expect(new Set(ids).size).toBe(ids.length);
		for (const r of RULES) expect(r.id.startsWith(`${r.kind}.`)).toBe(true);
	});

	test('the candidate names its horizon year', () => {
		const [c] = candidatesOf('2050 年に向けて、日本は知的資本主義経済へと移行することを目指す。');
		expect(c?.horizon).toBe(2050);
	});
});

const sources = reportsDir();
describe.skipIf(!existsSync(sources))('on the whole source reports', () => {
	test('every candidate is a verbatim slice of the cleaned text and lies in its section', () => {
		for (const file of ['000_583b3ed2587e94b7.txt', '004_90b0aa2c3762478d.txt']) {
			const a = analyseImport(readFileSync(join(sources, file), 'utf8'));
			expect(a.candidates.length).toBeGreaterThan(50);
			for (const c of a.candidates) {
				expect(a.text.slice(c.start, c.end)).toBe(c.text);
				const s = a.outline[c.section]!;
				expect(c.start >= s.start && c.start < s.end).toBe(true);
			}
		}
	});
});
