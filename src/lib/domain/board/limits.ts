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
	/** Items one board can be seeded with. */
	seedItems: 400
} as const;
