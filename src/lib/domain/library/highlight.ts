import { fold, foldWithMap } from './fold';

/** A run of text, marked when it matches a search term. Rendered as text (Svelte escapes it). */
export interface Segment {
	text: string;
	hit: boolean;
}

/** Enough for any sensible query; a longer list is cut, not refused. */
export const MAX_SEARCH_TERMS = 8;

/**
 * The terms of a search query: folded (see fold.ts), split on whitespace (full-width spaces
 * included), without repeats. Every term must occur in an item for it to match.
 */
export function searchTerms(q: string): string[] {
	const terms = fold(q)
		.split(/\s+/u)
		.filter((t) => t.length > 0);
	return [...new Set(terms)].slice(0, MAX_SEARCH_TERMS);
}

/**
 * A term of one or two ASCII letters or digits (AI, 5G, IT) matches whole words only: as a
 * substring it would match inside English words ("ai" in "again", "it" in "with"). In Japanese
 * text such a term stands between non-ASCII characters (生成AI競争), so it still matches there.
 */
export function isShortWord(term: string): boolean {
	return /^[a-z0-9]{1,2}$/u.test(term);
}

const ASCII_ALNUM = /[a-z0-9]/u;

/** Whether an occurrence of `term` at `at` in `folded` counts as a match (see isShortWord). */
function counts(folded: string, term: string, at: number): boolean {
	if (!isShortWord(term)) return true;
	return (
		!ASCII_ALNUM.test(folded.charAt(at - 1)) && !ASCII_ALNUM.test(folded.charAt(at + term.length))
	);
}

/**
 * Splits `text` into segments, marking every occurrence of any of the (folded) `terms`.
 * Matching happens on the folded text and is mapped back, so "5g" marks "５Ｇ" as printed.
 * Overlapping and touching matches merge into one marked segment.
 */
export function highlight(text: string, terms: readonly string[]): Segment[] {
	const { folded, start, end } = foldWithMap(text);
	const ranges: [number, number][] = [];
	for (const term of terms) {
		if (term.length === 0) continue;
		for (let at = folded.indexOf(term); at >= 0; at = folded.indexOf(term, at + 1)) {
			if (counts(folded, term, at))
				ranges.push([start[at] ?? 0, end[at + term.length - 1] ?? text.length]);
		}
	}
	if (ranges.length === 0) return text.length > 0 ? [{ text, hit: false }] : [];
	ranges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);

	const segments: Segment[] = [];
	let cursor = 0;
	let [from, to] = ranges[0] as [number, number];
	const flush = () => {
		if (from > cursor) segments.push({ text: text.slice(cursor, from), hit: false });
		segments.push({ text: text.slice(from, to), hit: true });
		cursor = to;
	};
	for (const [s, e] of ranges.slice(1)) {
		if (s <= to) {
			to = Math.max(to, e);
		} else {
			flush();
			[from, to] = [s, e];
		}
	}
	flush();
	if (cursor < text.length) segments.push({ text: text.slice(cursor), hit: false });
	return segments;
}

/** True when any segment is marked: the field contains a match. */
export function hasHit(segments: readonly Segment[]): boolean {
	return segments.some((s) => s.hit);
}
