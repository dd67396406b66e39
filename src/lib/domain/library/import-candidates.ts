/**
 * Candidate items for an imported report: the cleaned text is split into sentences, and a fixed
 * list of rules proposes some of them as issues, proposals or targets. No language model: each
 * rule is a readable pattern, each candidate names the rule that proposed it, so a curator can
 * see why it is there (and the project can measure every rule against the curated seeds).
 *
 * A Japanese sentence says what it is at its end (〜すべき, 〜が必要である, 〜が遅れている), so
 * most rules look at the predicate; a few look anywhere (課題, a target year with a figure). The
 * section a sentence sits in counts too: under 《問題意識》 or 【現状・課題】 a plain statement is
 * an issue, under 《提言》 or 【取組の方向性】 a bare bullet is a measure.
 */
import type { ItemKind, ModalityKey, SubkindKey } from './vocabulary';
import { headingOf, sectionAt, type OutlineSection } from './import-outline';

export interface Sentence {
	/** Offsets in the cleaned text; `text` is exactly `cleaned.slice(start, end)`. */
	start: number;
	end: number;
	text: string;
	section: number;
	/** The sentence is a heading line (a numbered or bracketed title). */
	heading: boolean;
	/** The sentence opens with a bullet mark (・, -, ✓, ①…). */
	bullet: boolean;
}

export interface Candidate extends Sentence {
	kind: ItemKind;
	subkind: SubkindKey | null;
	modality: ModalityKey | null;
	/** Id of the rule that proposed it (see RULES). */
	rule: string;
	/** Target year the sentence names, when it names one. */
	horizon: number | null;
}

/** Splits at 。！？ (with any closing bracket after them) and at line ends. */
export function splitSentences(text: string, sections: readonly OutlineSection[]): Sentence[] {
	const out: Sentence[] = [];
	let lineStart = 0;
	for (const line of text.split('\n')) {
		const heading = headingOf(line) !== null;
		const re = /[^。！？!?]*(?:[。！？!?][」』）)]*|$)/gu;
		let m: RegExpExecArray | null;
		while ((m = re.exec(line)) !== null) {
			if (m[0] === '') {
				re.lastIndex++;
				if (re.lastIndex > line.length) break;
				continue;
			}
			const lead = m[0].length - m[0].trimStart().length;
			const body = m[0].trim();
			if (body.length >= 2) {
				const start = lineStart + m.index + lead;
				out.push({
					start,
					end: start + body.length,
					text: body,
					section: sectionAt(sections, start),
					heading,
					bullet: m.index === 0 && BULLET.test(body)
				});
			}
		}
		lineStart += line.length + 1;
	}
	return out;
}

const BULLET = /^(?:[-‐–—・･●○◆◇■□▪▶►✓✔•]|[①-⑳❶-❿]|[\uf000-\uf8ff])/u;

interface Rule {
	id: string;
	kind: ItemKind;
	subkind: SubkindKey | null;
	modality: ModalityKey | null;
	test: (s: string, ctx: Context) => boolean;
}

interface Context {
	/** The nearest section title (and its ancestors') say what kind of text this is. */
	lean: 'issue' | 'proposal' | null;
	heading: boolean;
	bullet: boolean;
}

/** The sentence without its final punctuation, closing brackets, footnote numbers and spaces. */
export function predicateOf(sentence: string): string {
	let p = sentence;
	for (let i = 0; i < 4; i++) {
		const before = p;
		p = p
			.replace(/[\s。．！？!?」』]+$/u, '')
			// A closing aside: （バイオコミュニティ圏の形成）, (3章再掲), 《2章》.
			.replace(/\s*[（(《〔][^（()）《》〔〕]{0,40}[)）》〕]$/u, '')
			// Cross-references and actor codes after a measure: ⇒第5章, ⇒ 4章, 産官学, **産学**.
			.replace(/\s*⇒\s*第?\s*[0-9０-９]+\s*章$/u, '')
			.replace(/\s*\*{0,2}[産官学民]{1,4}\*{0,2}$/u, '')
			.replace(/\*+$/u, '')
			// A footnote number glued to the end: …芳しくない 1
			.replace(/\s*[0-9０-９]{1,2}$/u, '')
			.replace(/[\s、，]+$/u, '');
		if (p === before || p === '') break;
	}
	return p || sentence;
}

const end = (re: RegExp) => (s: string) => re.test(predicateOf(s));
const has = (re: RegExp) => (s: string) => re.test(s);

const YEAR = /(?:20[2-9][0-9]|令和\s*[0-9０-９元]+)\s*年/u;
const FIGURE =
	/[0-9０-９][0-9０-９,.，．]*\s*(?:%|％|割|倍|件|社|人|万|億|兆|円|ドル|GW|TW|Gbps|箇所|か所|ヶ所)/u;

/**
 * The rules, in order: the first that matches proposes the sentence. Predicate rules come before
 * body rules, because a sentence like 「人材が不足しており、育成を強化すべき」 is a proposal.
 */
export const RULES: readonly Rule[] = [
	{
		id: 'target.year-figure',
		kind: 'target',
		subkind: 'kpi',
		modality: 'mezasu',
		test: (s) =>
			YEAR.test(s) &&
			FIGURE.test(s) &&
			/(?:目標|目指|までに|実現|達成|倍増|引き上げ|増加させ)/u.test(s)
	},
	{
		id: 'target.year-goal',
		kind: 'target',
		subkind: 'milestone',
		modality: 'mezasu',
		test: (s) =>
			YEAR.test(s) &&
			/(?:までに|を目途に|目標|目指す)/u.test(s) &&
			/(?:実現|達成|目指|目標)/u.test(s)
	},
	{
		id: 'issue.question',
		kind: 'issue',
		subkind: 'question',
		modality: null,
		test: end(/(?:ないのではないか|のではないか|だろうか|のか|ないか)$/u)
	},
	{
		id: 'proposal.beki',
		kind: 'proposal',
		subkind: 'direction',
		modality: 'beki',
		test: end(/べき(?:である|だ|です|ではないか)?$|べきこと$/u)
	},
	{
		id: 'proposal.naranai',
		kind: 'proposal',
		subkind: 'principle',
		modality: 'beki',
		test: end(/(?:なければ|ねば|なくては)(?:ならない|ならぬ|いけない|ない)$/u)
	},
	{
		id: 'proposal.ikaga',
		kind: 'proposal',
		subkind: 'measure',
		modality: 'ikaga',
		test: end(/(?:如何|いかが)(?:か|でしょうか)?$|(?:て|で)は(?:どうか|どうだろうか)$/u)
	},
	{
		id: 'proposal.hitsuyo',
		kind: 'proposal',
		subkind: 'direction',
		modality: 'hitsuyo',
		test: end(
			/(?:必要|不可欠|必須)(?:が|で)?(?:ある|あろう|だ|です|となる|となっている|になる|と考える|と考えられる)?$/u
		)
	},
	{
		id: 'proposal.motomerareru',
		kind: 'proposal',
		subkind: 'direction',
		modality: 'hitsuyo',
		test: end(/求め(?:られる|られている|たい|る)$/u)
	},
	{
		id: 'proposal.juyo',
		kind: 'proposal',
		subkind: 'principle',
		modality: 'juyo',
		test: end(/(?:重要|肝要|鍵|重要な課題)(?:で|と)?(?:ある|なる|なっている|だ|です|考える)?$/u)
	},
	{
		id: 'proposal.kitai',
		kind: 'proposal',
		subkind: 'direction',
		modality: 'kitai',
		test: end(/期待(?:される|したい|する)$/u)
	},
	{
		id: 'proposal.kento',
		kind: 'proposal',
		subkind: 'measure',
		modality: 'kento',
		test: end(/検討(?:する|していく|を行う|を進める|を深める|すべき|が必要)?$/u)
	},
	{
		id: 'proposal.mezasu',
		kind: 'proposal',
		subkind: 'direction',
		modality: 'mezasu',
		test: end(/目指(?:す|していく|すべき)$/u)
	},
	{
		id: 'proposal.commitment',
		kind: 'proposal',
		subkind: 'measure',
		modality: 'commitment',
		test: end(
			/(?:する|していく|させる|させていく|を図る|を進める|していくこと|すること|を行う|つなぐ|つなげる|つくる|作る|増やす|育てる|高める|図る|進める|築く|生む|生み出す|廻す|回す|促す|行う|担う|設ける|深める|広げる|取り組む|取り組んでいく|進めていく|図っていく|行っていく|引き上げる|呼び込む|引きつける|活かす|生かす|磨く|整える|支える|鍛える|変える|伸ばす|集める|示す|掲げる)$/u
		)
	},
	{
		id: 'proposal.kangaerareru',
		kind: 'proposal',
		subkind: 'direction',
		modality: 'kangaerareru',
		test: end(/(?:考えられる|考えられないか|ではないだろうか)$/u)
	},
	{
		id: 'issue.risk',
		kind: 'issue',
		subkind: 'risk',
		modality: null,
		test: end(
			/可能性(?:が|も)?(?:ある|あろう|高い|がある)?$|おそれ(?:が|も)?ある$|恐れ(?:が|も)?ある$|懸念される$|予想される$/u
		)
	},
	{
		id: 'issue.negative',
		kind: 'issue',
		subkind: 'problem',
		modality: null,
		test: (s) => {
			const p = predicateOf(s);
			return (
				/(?:ない|なかった|ず|できないでいる|ていない|ではない|とは言えない|過ぎない|すぎない)$/u.test(
					p
				) && !/ならない$/u.test(p)
			);
		}
	},
	{
		id: 'issue.shortfall',
		kind: 'issue',
		subkind: 'problem',
		modality: null,
		test: has(
			/不足|欠如|欠け|乏しい|不十分|十分でない|十分ではない|不在|遅れ|遅い|低迷|低下|減少|停滞|劣後|後塵|芳しくない|脆弱|困難|難しい|懸念|できていない|進んでいない|至っていない|されていない|少ない|弱い|弱み|阻害|障壁|ボトルネック|分断|限られ|限定的|硬直|依存|課題|問題|危機|リスク|脅威|喪失|失われ|失って|流出|取り残|格差/u
		)
	},
	{
		id: 'issue.gap',
		kind: 'issue',
		subkind: 'gap',
		modality: null,
		test: has(
			/(?:米国|中国|欧州|欧米|諸外国|海外|世界|主要国|他国).{0,40}(?:比べ|比較|対し|に対して|一方|位|倍)/u
		)
	},
	{
		id: 'issue.trend',
		kind: 'issue',
		subkind: 'megatrend',
		modality: null,
		test: end(
			/(?:進展|変化|加速|拡大|増大|増加|台頭|激化|激変|高ま|進ん|進む|続く|広が|変わ|変え|到来|見込まれ|予測され|迫られ|直面|突入|登場|生まれ|増す|志向され|移行|転換|集中|競争)(?:している|しつつある|しており|っている|でいる|る|た|ている|つつある|される|されている|していく|っていく|ていく|る|す|く|した|した)?$/u
		)
	},
	{
		id: 'proposal.section',
		kind: 'proposal',
		subkind: 'measure',
		modality: null,
		test: (_s, ctx) => ctx.lean === 'proposal'
	},
	{
		id: 'issue.section',
		kind: 'issue',
		subkind: 'problem',
		modality: null,
		test: (_s, ctx) => ctx.lean === 'issue'
	}
];

const ISSUE_SECTION = /課題|現状|問題意識|危機感|問題|背景|認識/u;
const PROPOSAL_SECTION = /提言|取組|方向性|施策|対応|方策|提案|推進|戦略|アクション|今後/u;

function leanOf(sections: readonly OutlineSection[], index: number): Context['lean'] {
	let i: number | null = index;
	while (i !== null) {
		const s: OutlineSection | undefined = sections[i];
		if (!s) break;
		const issue = ISSUE_SECTION.test(s.title);
		const proposal = PROPOSAL_SECTION.test(s.title);
		if (issue !== proposal) return issue ? 'issue' : 'proposal';
		i = s.parent;
	}
	return null;
}

/** A year the sentence names (2030年, 2050 年に向けて), or null. */
export function horizonOf(sentence: string): number | null {
	const m = /(20[2-9][0-9])\s*年/u.exec(sentence);
	return m ? Number(m[1]) : null;
}

/** Sentences too short to stand as an item (a label, a figure caption fragment). */
const MIN_LENGTH = 8;

/** Proposes candidates among `sentences`: the first matching rule names each. */
export function proposeCandidates(
	sentences: readonly Sentence[],
	sections: readonly OutlineSection[]
): Candidate[] {
	const leans = sections.map((_, i) => leanOf(sections, i));
	const out: Candidate[] = [];
	for (const s of sentences) {
		if (s.text.length < MIN_LENGTH) continue;
		// Captions and sources of figures: (出典), 図1-2, 表3.
		if (/^(?:[（(]出典|出典[:：]|図\s*[0-9０-９]|表\s*[0-9０-９]|資料[:：])/u.test(s.text))
			continue;
		const ctx: Context = { lean: leans[s.section] ?? null, heading: s.heading, bullet: s.bullet };
		if (s.heading) continue;
		const rule = RULES.find((r) => r.test(s.text, ctx));
		if (!rule) continue;
		out.push({
			...s,
			kind: rule.kind,
			subkind: rule.subkind,
			modality: rule.modality,
			rule: rule.id,
			horizon: horizonOf(s.text)
		});
	}
	return out;
}
