import type { BoardView, CardView } from './doc';

/**
 * The board as the page's first paint needs it: lanes in order and every card with what a compact
 * card shows (title, English title, kind, lane, group, counts of sources and comments, author)
 * — but with its note and its sources' wording left out (note, quote, report and section titles
 * are empty strings; item, report and section ids stay, so a source still links to the library).
 * The full card arrives with the shared document when the socket syncs; sending every quote of a
 * 250-card board with each page load made the page 0.8 MB and most of its server time.
 */
export function outlineBoard(view: BoardView): BoardView {
	return {
		lanes: view.lanes.map((l) => ({ ...l, cards: l.cards.map(outlineCard) })),
		archived: view.archived.map(outlineCard)
	};
}

function outlineCard(card: CardView): CardView {
	return {
		...card,
		note: '',
		sources: card.sources.map((s) => ({
			...s,
			reportTitle: '',
			sectionLabel: '',
			quote: ''
		}))
	};
}
