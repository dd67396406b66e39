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
 * The outline of the cleaned text: every heading line with its parent. A text with no detected
 * heading gets one section covering all of it, so every sentence belongs to a section.
 */
export function detectOutline(text: string, fallbackTitle = '本文'): OutlineSection[] {
	const sections: OutlineSection[] = [];
	const open: number[] = [];
	let at = 0;
	for (const line of text.split('\n')) {
		const h = headingOf(line);
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
			open.push(index);
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
