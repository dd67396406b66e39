import type { LanePreset } from '$lib/domain/board/doc';
import type { VoteMethod } from '$lib/domain/votes/methods';

/** What the decision and action forms offer a facilitator (see shared.server.ts). */
export interface DecisionSetup {
	lanes: {
		id: string;
		title: string;
		preset: LanePreset;
		cards: { id: string; title: string; sources: number }[];
	}[];
	votes: { id: number; title: string; method: VoteMethod }[];
	members: { id: number; name: string; organisation: string }[];
}
