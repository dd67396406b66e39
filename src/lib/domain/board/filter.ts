import type { CardKind, CardView } from './doc';

/**
 * Filtering and searching a board as one person sees it (local view state, never in the shared
 * document). Matching cards are highlighted and the others dimmed, so every card keeps its place.
 */
export interface BoardFilter {
	/** Free text: a substring of the title, English title or note (Japanese needs no word breaks). */
	text: string;
	kind: CardKind | '';
	/** A report's slug: cards with at least one source from it. */
	report: string;
	label: string;
	/** The sector of the card's author. */
	sector: string;
}

export const EMPTY_FILTER: BoardFilter = { text: '', kind: '', report: '', label: '', sector: '' };

export function isFiltering(f: BoardFilter): boolean {
	return Boolean(f.text.trim() || f.kind || f.report || f.label || f.sector);
}

/**
 * Text as compared: NFKC folds full-width letters and digits and half-width kana into their usual
 * forms (ＡＩ = AI, ｶﾀｶﾅ = カタカナ), then case is ignored.
 */
export function foldText(s: string): string {
	return s.normalize('NFKC').toLowerCase();
}

export function matchesFilter(
	card: Pick<CardView, 'title' | 'titleEn' | 'note' | 'kind' | 'sources' | 'labels' | 'createdBy'>,
	f: BoardFilter,
	sectorOf: (userId: number) => string | undefined
): boolean {
	const q = foldText(f.text.trim());
	if (q && !foldText(`${card.title}\n${card.titleEn}\n${card.note}`).includes(q)) return false;
	if (f.kind && card.kind !== f.kind) return false;
	if (f.report && !card.sources.some((s) => s.reportSlug === f.report)) return false;
	if (f.label && !card.labels.includes(f.label)) return false;
	if (f.sector && (!card.createdBy || sectorOf(card.createdBy.id) !== f.sector)) return false;
	return true;
}

/**
 * The title cut around the first match of `query`, for highlighting: [before, match, after], or
 * null when the title itself does not contain it (the match may be in the note). Folding keeps
 * the length of most Japanese and Latin text; where it does not, nothing is marked.
 */
export function splitMatch(title: string, query: string): [string, string, string] | null {
	const q = foldText(query.trim());
	if (!q) return null;
	const folded = foldText(title);
	if (folded.length !== title.length) return null;
	const at = folded.indexOf(q);
	if (at < 0) return null;
	return [title.slice(0, at), title.slice(at, at + q.length), title.slice(at + q.length)];
}
