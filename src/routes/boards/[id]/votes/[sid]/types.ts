/** A card on the ballot as the vote page shows it (see +page.server.ts). */
export interface BallotCard {
	id: string;
	title: string;
	note: string;
	sources: { itemId: string; reportTitle: string; sectionLabel: string; quote: string }[];
	/** Merged away or deleted since the session opened: it takes no new votes. */
	gone: boolean;
	mergedInto: string | null;
	/** The viewer's own entry for this card, if any. */
	mine: { value: number; value2: number | null } | null;
	/** The card's wording changed after the viewer voted on it. */
	edited: boolean;
}
