import type { Phase } from './facilitation';
import type { BoardRole } from './roles';

/** The pages of a board where someone counts as "here" in the facilitator's cockpit. */
export const PRESENCE_PLACES = ['board', 'votes', 'ballot', 'results', 'decisions'] as const;
export type PresencePlace = (typeof PRESENCE_PLACES)[number];
/** How often an open page says it is still open. */
export const PRESENCE_PING_MS = 10_000;
/** A person not heard from for this long has left. */
export const PRESENCE_TTL_MS = 3 * PRESENCE_PING_MS;
/** How often the facilitator's cockpit refreshes (drafts and votes move while people work). */
export const COCKPIT_REFRESH_MS = 3_000;

export function isPresencePlace(v: unknown): v is PresencePlace {
	return typeof v === 'string' && (PRESENCE_PLACES as readonly string[]).includes(v);
}

/** What the facilitator's cockpit shows: who is where, drafts per person, open votes. */
export interface Cockpit {
	serverNow: number;
	/** The board's phase now, for the "next phase" button. */
	phase: Phase;
	present: {
		userId: number;
		name: string;
		sector: string;
		role: BoardRole;
		place: PresencePlace;
	}[];
	/** Unrevealed private drafts per author, and in all (what "reveal" would put on the board). */
	drafts: { total: number; authors: { name: string; count: number }[] };
	votes: {
		sessionId: number;
		title: string;
		voted: number;
		eligible: number;
		notVoted: string[];
		deadline: number | null;
	}[];
	/** Votes the facilitator prepared beforehand, each opened with one click. */
	prepared: { id: number; title: string }[];
}
