/**
 * Outline detection for an imported report: which lines of the cleaned text are headings, and
 * how they nest. Japanese reports number their headings in many ways (第1章, Ⅰ., １．, 1.1,
 * (1), ①, ア., ⅰ), 【現状・課題】, 《提言》) and no two reports use the same order, so a
 * heading's level is not fixed by its style: the first heading of a style nests under the
 * heading before it, and a later heading of a style already open closes everything below it
 * (the way a reader follows the numbering).
 */

export interface HeadingStyle {
	/** Stable key of the numbering style, e.g. `chapter`, `paren`, `circled`, `md2`. */
	style: string;
	/** The numbering as printed, or null (Markdown heading, bracketed label). */
	number: string | null;
	title: string;
}

export interface OutlineSection {
	/** Index in the outline array. */
	index: number;
	/** Index of the enclosing section, or null at the top. */
	parent: number | null;
	depth: number;
	style: string;
	number: string | null;
	title: string;
	/** Offset of the heading line in the cleaned text, and of the end of the section's text. */
	start: number;
	end: number;
}

/** Headings are short; a longer line with a number in front is a numbered paragraph. */
const MAX_TITLE = 50;

interface Pattern {
	style: string;
	re: RegExp;
}

const N = '[0-9０-９]';
/** After a number, a unit means a quantity (19.5 兆円), not a heading. */
const NOT_UNIT = '(?!\\s*[0-9０-９兆億万千百円%％倍年月日件社人])';
const PATTERNS: Pattern[] = [
	{ style: 'md', re: /^(#{1,6})\s+(.+)$/u },
	{ style: 'part', re: /^(第[0-9０-９一二三四五六七八九十]+[部編])\s*(.*)$/u },
	{ style: 'chapter', re: /^(第[0-9０-９一二三四五六七八九十]+章)\s*(.*)$/u },
	{ style: 'section', re: /^(第[0-9０-９一二三四五六七八九十]+節)\s*(.*)$/u },
	{ style: 'roman', re: /^([Ⅰ-Ⅻ]|(?:X|IX|IV|V?I{1,3}|V))\s*[.．、]\s*(.+)$/u },
	{ style: 'roman-bare', re: /^([Ⅰ-Ⅻ])\s+(.+)$/u },
	{
		style: 'decimal3',
		re: new RegExp(`^(${N}{1,2}[.．]${N}{1,2}[.．]${N}{1,2})[.．]?${NOT_UNIT}\\s*(.+)$`, 'u')
	},
	{
		style: 'decimal2',
		re: new RegExp(`^(${N}{1,2}[.．]${N}{1,2})[.．]?${NOT_UNIT}\\s*(.+)$`, 'u')
	},
	{ style: 'decimal1', re: new RegExp(`^(${N}{1,2})[.．、]\\s*([^\\d０-９.．].*)$`, 'u') },
	{ style: 'paren', re: new RegExp(`^([（(]${N}{1,2}[)）])\\s*(.+)$`, 'u') },
	{ style: 'paren-kanji', re: /^([（(][一二三四五六七八九十]+[)）])\s*(.+)$/u },
	{ style: 'circled', re: /^([①-⑳])\s*(.+)$/u },
	{ style: 'kata', re: /^([ア-ン])\s*[.．、)）]\s*(.+)$/u },
	{ style: 'kata-paren', re: /^([（(][ア-ン][)）])\s*(.+)$/u },
	{ style: 'roman-small', re: /^([ⅰ-ⅿ]+[)）.．])\s*(.+)$/u },
	{ style: 'bracket', re: /^(?:【(.+?)】|《(.+?)》|〔(.+?)〕)\s*$/u }
];

/** The heading a line is, or null. `line` is one line of the cleaned text. */
export function headingOf(line: string): HeadingStyle | null {
	const t = line.trim();
	if (t === '' || t.length > MAX_TITLE + 12) return null;
	for (const { style, re } of PATTERNS) {
		const m = re.exec(t);
		if (!m) continue;
		if (style === 'md') {
			return { style: `md${m[1]?.length ?? 1}`, number: null, title: (m[2] ?? '').trim() };
		}
		if (style === 'bracket') {
			const title = (m[1] ?? m[2] ?? m[3] ?? '').trim();
			return title.length <= 20 ? { style, number: null, title } : null;
		}
		const number = m[1] ?? null;
		const title = (m[2] ?? '').trim();
		// A sentence (it ends with 。 or is long) is a numbered paragraph, not a heading.
		if (title.length > MAX_TITLE || /[。]$/u.test(title)) return null;
		// ①②… and (1)… open headings only when short and not a list of clauses.
		if ((style === 'circled' || style === 'paren') && /[、，]/u.test(title) && title.length > 30)
			return null;
		if (title === '' && !/[章節部編]$/u.test(number ?? '')) return null;
		return { style, number, title };
	}
	return null;
}

/**
 * Front and back matter that reports title without a number. Such a heading stands for a part
 * of its own: it is placed at the top level and nothing nests under it.
 */
const MATTER_WORDS = [
	'はじめに',
	'おわりに',
	'まえがき',
	'あとがき',
	'前文',
	'序文',
	'序論',
	'概要',
	'要旨',
	'要約',
	'背景',
	'まとめ',
	'結び',
	'結論',
	'総論',
	'参考資料',
	'参考文献',
	'参考',
	'付録',
	'別紙',
	'用語集',
	'資料編'
];
/** A matter word alone, or followed by a subtitle after a dash or colon (はじめに － Toward …). */
const MATTER = new RegExp(`^(?:${MATTER_WORDS.join('|')})(?:\\s*[－—–―:：]\\s*\\S.{0,40})?$`, 'u');

/** An unnumbered heading is short; longer lines without 。 are wrapped text or captions. */
const MAX_BARE = 25;
/** …and the line after it is body text: a sentence of some length. */
const MIN_BODY = 30;
/** Lines that are short and unpunctuated but no heading: bullets, notes, figures, sources. */
const NOT_BARE =
	/^(?:[•・●○■□◆◇▶►▪✓✔☐☑\-–*※＊注≪➀-➓]|図|表|出典|資料|（出典|\(出典|[0-9０-９]|[ア-ン]\s)|[0-9０-９]$|[。．.!！?？、，,：:;；）)」』]$/u;

/**
 * Whether `line` is a heading without number, when body text follows: a known front or back
 * matter word (はじめに, まとめ…) standing alone, or a short line with no sentence punctuation between the end of a sentence (or
 * the start of the text, or another heading) and a line of body text. Both cues are needed: a
 * short line after a sentence alone is often a table cell or a chart label, and one before a
 * sentence alone is often the end of a wrapped list item. Returns `matter` for the known words.
 */
export function bareHeadingOf(
	prev: string | null,
	line: string,
	next: string | null
): 'matter' | 'bare' | null {
	const t = line.trim();
	const after = next?.trim() ?? '';
	// A heading right after it: a table of contents, or a run of headings (the numbered one is
	// enough).
	if (t.length < 2 || after === '' || headingOf(after) !== null) return null;
	if (MATTER.test(t)) return 'matter';
	if (
		t.length > MAX_BARE ||
		NOT_BARE.test(t) ||
		!/[\p{Script=Han}\p{Script=Katakana}\p{Script=Hiragana}]/u.test(t)
	)
		return null;
	const before = prev?.trim() ?? '';
	const closes = before === '' || /[。．]$/u.test(before) || headingOf(before) !== null;
	const body = after.length >= MIN_BODY && !NOT_BARE.test(after.slice(0, 1));
	return closes && body ? 'bare' : null;
}

/**
 * The outline of the cleaned text: every heading line with its parent. A text with no detected
 * heading gets one section covering all of it, so every sentence belongs to a section.
 */
export function detectOutline(text: string, fallbackTitle = '本文'): OutlineSection[] {
	const sections: OutlineSection[] = [];
	const open: number[] = [];
	let at = 0;
	const lines = text.split('\n');
	for (const [n, line] of lines.entries()) {
		let h = headingOf(line);
		let matter = false;
		if (!h) {
			const bare = bareHeadingOf(lines[n - 1] ?? null, line, lines[n + 1] ?? null);
			if (bare) h = { style: bare, number: null, title: line.trim() };
			// Front and back matter closes every open heading and opens none (see MATTER_WORDS).
			if (bare === 'matter') {
				open.length = 0;
				matter = true;
			}
		}
		if (h) {
			// A style already open: its heading is a sibling; close everything from it down.
			const same = open.findIndex((i) => sections[i]?.style === h.style);
			if (same >= 0) open.length = same;
			else if (h.style.startsWith('md')) {
				// Markdown levels are explicit: close deeper or equal levels.
				const level = Number(h.style.slice(2));
				while (open.length > 0) {
					const top = sections[open.at(-1) ?? 0];
					if (top?.style.startsWith('md') && Number(top.style.slice(2)) >= level) open.pop();
					else break;
				}
			}
			const parent = open.at(-1) ?? null;
			const index = sections.length;
			sections.push({
				index,
				parent,
				depth: open.length,
				style: h.style,
				number: h.number,
				title: h.title || (h.number ?? ''),
				start: at,
				end: text.length
			});
			if (!matter) open.push(index);
		}
		at += line.length + 1;
	}
	if (sections.length === 0 || (sections[0]?.start ?? 0) > 0) {
		sections.unshift({
			index: 0,
			parent: null,
			depth: 0,
			style: 'front',
			number: null,
			title: fallbackTitle,
			start: 0,
			end: text.length
		});
		for (let i = 1; i < sections.length; i++) {
			const s = sections[i]!;
			s.index = i;
			if (s.parent !== null) s.parent += 1;
		}
	}
	for (let i = 0; i < sections.length - 1; i++) sections[i]!.end = sections[i + 1]!.start;
	return sections;
}

/** The section that the offset `at` lies in (the last one starting at or before it). */
export function sectionAt(sections: readonly OutlineSection[], at: number): number {
	let lo = 0;
	let hi = sections.length - 1;
	while (lo < hi) {
		const mid = (lo + hi + 1) >> 1;
		if ((sections[mid]?.start ?? 0) <= at) lo = mid;
		else hi = mid - 1;
	}
	return lo;
}
