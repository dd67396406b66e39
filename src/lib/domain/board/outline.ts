import type { BoardView, CardView } from './doc';

/**
 * Cards per lane in the first paint: more than a 1366×768 laptop or a projector shows of a lane
 * at once. The rest of a long lane comes with the shared document, which the page syncs anyway;
 * rendering and sending every card of a 250-card board was most of the server's time per load.
 */
export const OUTLINE_CARDS_PER_LANE = 15;

/** The outline: a BoardView whose lanes may be cut short, and by how much. */
export interface BoardOutline extends BoardView {
	/** Cards of a lane left out of the outline, by lane id; a lane with none is absent. */
	more: Record<string, number>;
}

/**
 * The board as the page's first paint needs it: lanes in order and every card with what a compact
 * card shows (title, English title, kind, lane, group, labels, counts, author) — but without the
 * long texts: every `note` in the card (its own, and those of cards merged into it) is an empty
 * string, and every source keeps its item, report and section ids with `quote`, `reportTitle`
 * and `sectionLabel` empty. Counts stay right (arrays keep their length), and a source still
 * links to the library. The full card arrives with the shared document when the socket syncs;
 * sending every quote of a 250-card board with each page load made the page 0.8 MB and most of
 * the server's time per load. Each lane keeps only its first `perLane` cards; `more` counts the
 * rest, so the lane's true count can be shown.
 */
export function outlineBoard(view: BoardView, perLane = OUTLINE_CARDS_PER_LANE): BoardOutline {
	// One object per distinct source and author: the page data's serialiser writes a shared
	// object once and refers to it after, so a card's sources and own sources, and the seeding
	// facilitator on every card, cost one copy each.
	const shared = new Map<string, unknown>();
	const card = (c: CardView) => slim(c, shared) as CardView;
	// Spread: whatever else the view carries (board-level lists) goes through as it is.
	const more: Record<string, number> = {};
	for (const l of view.lanes) if (l.cards.length > perLane) more[l.id] = l.cards.length - perLane;
	return {
		...view,
		lanes: view.lanes.map((l) => ({ ...l, cards: l.cards.slice(0, perLane).map(card) })),
		archived: view.archived.map(card),
		more
	};
}

/** A source as stored with a card (Provenance): recognised by its item id and quote. */
function isSource(v: Record<string, unknown>): boolean {
	return typeof v.itemId === 'string' && typeof v.quote === 'string';
}

function once(shared: Map<string, unknown>, key: string, make: () => unknown): unknown {
	if (!shared.has(key)) shared.set(key, make());
	return shared.get(key);
}

/**
 * Walks a card's plain data (the view holds no cycles): sources lose their wording, notes their
 * text, everything else is copied as it is — so fields the card gains later are kept, and any
 * source or note they hold is slimmed too.
 */
function slim(value: unknown, shared: Map<string, unknown>, key = ''): unknown {
	if (Array.isArray(value)) return value.map((v) => slim(v, shared));
	if (value === null || typeof value !== 'object') return value;
	const o = value as Record<string, unknown>;
	if (isSource(o)) {
		const s = { ...o, reportTitle: '', sectionLabel: '', quote: '' };
		return once(shared, `source ${JSON.stringify(s)}`, () => s);
	}
	if (key === 'createdBy') return once(shared, `author ${JSON.stringify(o)}`, () => ({ ...o }));
	const out: Record<string, unknown> = {};
	for (const [k, v] of Object.entries(o))
		out[k] = k === 'note' && typeof v === 'string' ? '' : slim(v, shared, k);
	return out;
}
