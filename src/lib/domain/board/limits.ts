/**
 * Size limits for board content (INP-02). They bound the Yjs document every client holds and
 * every export renders; the realtime server enforces an overall document size on top.
 */
export const LIMITS = {
	/** Cards per board, archived ones included: a full-day workshop stays well under this. */
	cards: 1500,
	lanes: 12,
	cardTitle: 300,
	cardNote: 4000,
	laneTitle: 60,
	comment: 2000,
	commentsPerCard: 200,
	/** Labels a facilitator defines per board (e.g. 短期 / 中期 / 長期). */
	labels: 12,
	labelName: 30,
	/** A fractional-index order key; honest keys stay far shorter even after many moves. */
	orderKey: 200,
	/** Items one board can be seeded with. */
	seedItems: 400
} as const;
