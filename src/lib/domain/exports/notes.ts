import type { Provenance } from '../board/doc';

/** One numbered source note of the print page: report, section and the quote, printed once. */
export interface SourceNote {
	n: number;
	source: Provenance;
}

const keyOf = (s: Provenance) => `${s.itemId}\u0000${s.sectionId}\u0000${s.quote}`;

/**
 * Numbers sources in the order they are first met, so that a quote is printed once, as a note
 * at the end, and every card, decision and action row citing it shows only its number — a
 * printed record otherwise repeats the same long quote on every action row.
 */
export function sourceNotes(groups: Iterable<readonly Provenance[]>): {
	notes: SourceNote[];
	numbers: (sources: readonly Provenance[]) => number[];
} {
	const byKey = new Map<string, SourceNote>();
	for (const sources of groups)
		for (const s of sources) {
			const key = keyOf(s);
			if (!byKey.has(key)) byKey.set(key, { n: byKey.size + 1, source: s });
		}
	return {
		notes: [...byKey.values()],
		numbers: (sources) => [
			...new Set(sources.flatMap((s) => (byKey.has(keyOf(s)) ? [byKey.get(keyOf(s))!.n] : [])))
		]
	};
}
