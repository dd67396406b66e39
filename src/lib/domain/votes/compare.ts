import type { VoteResults } from './results';

export interface CompareCell {
	rank: number;
	/** The card's normalised support (0–1), comparable across methods. */
	support: number;
	consensus: number | null;
}

export interface CompareRow {
	cardId: string;
	title: string;
	/** One cell per session, in the order given; null where the card was not on that ballot. */
	cells: (CompareCell | null)[];
}

/**
 * Several revealed sessions of one board side by side, card by card. Rows are ordered by the
 * mean of each card's rank relative to its ballot's length (0 = first, 1 = last) over the
 * sessions it was in, so a card on a short ballot is not favoured just for having fewer rivals.
 */
export function compareSessions(sessions: readonly VoteResults[]): CompareRow[] {
	const rows = new Map<string, CompareRow & { position: number; seen: number }>();
	sessions.forEach((s, i) => {
		const n = s.cards.length;
		for (const c of s.cards) {
			let row = rows.get(c.cardId);
			if (!row) {
				row = {
					cardId: c.cardId,
					title: c.title,
					cells: sessions.map(() => null),
					position: 0,
					seen: 0
				};
				rows.set(c.cardId, row);
			}
			row.cells[i] = { rank: c.rank, support: c.support, consensus: c.consensus };
			row.position += n > 1 ? (c.rank - 1) / (n - 1) : 0;
			row.seen++;
		}
	});
	return [...rows.values()]
		.sort((a, b) => a.position / a.seen - b.position / b.seen || b.seen - a.seen)
		.map(({ cardId, title, cells }) => ({ cardId, title, cells }));
}
