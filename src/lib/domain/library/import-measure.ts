/**
 * How well the candidate rules find what curators chose: the curated items of a seed file are
 * located in the cleaned text of their source, and compared with the candidates.
 *
 * Positions are compared with whitespace ignored: the clean-up joins lines that the seed quotes
 * (taken from the raw extraction) still hold as spaces, and nothing else differs.
 *
 * - A curated item is *found* when a candidate sentence covers at least half of its quote (a
 *   quote may run over two sentences; one proposed sentence brings the curator to it), and
 *   *found as its kind* when such a candidate also has the item's kind.
 * - A candidate is *right* when it overlaps a curated item's quote (of any kind).
 */
import type { Candidate } from './import-candidates';
import type { ItemKind } from './vocabulary';

export interface CuratedQuote {
	id: string;
	kind: ItemKind;
	quote: string;
}

export interface KindFigures {
	curated: number;
	located: number;
	found: number;
	foundAsKind: number;
	candidates: number;
	right: number;
}

export interface Measure {
	byKind: Record<ItemKind, KindFigures>;
	/** Candidates and right candidates per rule: which rules earn their place. */
	byRule: Record<string, { candidates: number; right: number }>;
	/** Curated ids whose quote was not found in the cleaned text (not counted in recall). */
	unlocated: string[];
	/** Curated ids located but not found by any candidate. */
	missed: string[];
}

/** The text without whitespace, and for each of its characters the offset in `text`. */
function squeeze(text: string): { s: string; at: number[] } {
	let s = '';
	const at: number[] = [];
	for (let i = 0; i < text.length; i++) {
		const ch = text[i]!;
		if (/\s/u.test(ch)) continue;
		s += ch;
		at.push(i);
	}
	return { s, at };
}

const empty = (): KindFigures => ({
	curated: 0,
	located: 0,
	found: 0,
	foundAsKind: 0,
	candidates: 0,
	right: 0
});

export function measureCandidates(
	text: string,
	candidates: readonly Candidate[],
	curated: readonly CuratedQuote[]
): Measure {
	const { s, at } = squeeze(text);
	const byKind: Record<ItemKind, KindFigures> = {
		issue: empty(),
		proposal: empty(),
		target: empty()
	};
	const unlocated: string[] = [];
	const missed: string[] = [];
	const spans: { start: number; end: number }[] = [];
	const sorted = [...candidates].sort((a, b) => a.start - b.start);
	for (const item of curated) {
		const f = byKind[item.kind];
		f.curated++;
		const q = item.quote.replace(/\s+/gu, '');
		const i = s.indexOf(q);
		if (i < 0 || q === '') {
			unlocated.push(item.id);
			continue;
		}
		f.located++;
		const start = at[i]!;
		const end = at[i + q.length - 1]! + 1;
		spans.push({ start, end });
		const half = q.length / 2;
		let found = false;
		let asKind = false;
		for (const c of sorted) {
			if (c.start >= end) break;
			if (c.end <= start) continue;
			const from = Math.max(c.start, start);
			const to = Math.min(c.end, end);
			const covered = text.slice(from, to).replace(/\s+/gu, '').length;
			if (covered >= half) {
				found = true;
				if (c.kind === item.kind) asKind = true;
			}
		}
		if (found) f.found++;
		else missed.push(item.id);
		if (asKind) f.foundAsKind++;
	}
	const byRule: Measure['byRule'] = {};
	for (const c of candidates) {
		const f = byKind[c.kind];
		const r = (byRule[c.rule] ??= { candidates: 0, right: 0 });
		f.candidates++;
		r.candidates++;
		if (spans.some((q) => c.start < q.end && q.start < c.end)) {
			f.right++;
			r.right++;
		}
	}
	return { byKind, byRule, unlocated, missed };
}
