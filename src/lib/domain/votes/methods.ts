import { z } from 'zod';

/**
 * The vote methods and their parameters. Each method says how one ballot spreads support over
 * cards; `maxPerCard` is the most one voter can give one card, which normalises support to 0–1
 * so methods, sectors and sessions can be compared (see consensus.ts).
 */
export const VOTE_METHODS = ['dots', 'ranking', 'score', 'approval', 'points'] as const;
export type VoteMethod = (typeof VOTE_METHODS)[number];

/** Score votes rate impact and feasibility on this fixed scale (the 2×2 matrix splits at 3). */
export const SCORE_MIN = 1;
export const SCORE_MAX = 5;

/** Bounds on what a facilitator may set up (INP-02): they bound ballot size and tally cost. */
export const VOTE_LIMITS = {
	/** Cards on one ballot: a long ballot is unreadable long before this. */
	cards: 500,
	sessionsPerBoard: 100,
	title: 120,
	budget: 100,
	topN: 20,
	points: 1000,
	minGroup: { min: 2, max: 20, default: 3 },
	/** Deadline, in minutes from opening: up to a week. */
	deadlineMinutes: 7 * 24 * 60
} as const;

export const voteSettingsSchema = z.discriminatedUnion('method', [
	z.strictObject({
		method: z.literal('dots'),
		budget: z.int().min(1).max(VOTE_LIMITS.budget),
		cap: z.int().min(1).max(VOTE_LIMITS.budget)
	}),
	z.strictObject({ method: z.literal('ranking'), topN: z.int().min(1).max(VOTE_LIMITS.topN) }),
	z.strictObject({ method: z.literal('score') }),
	z.strictObject({ method: z.literal('approval') }),
	z.strictObject({ method: z.literal('points'), total: z.int().min(1).max(VOTE_LIMITS.points) })
]);

export type VoteSettings = z.infer<typeof voteSettingsSchema>;

export const DEFAULT_SETTINGS = {
	dots: { method: 'dots', budget: 5, cap: 3 },
	ranking: { method: 'ranking', topN: 5 },
	score: { method: 'score' },
	approval: { method: 'approval' },
	points: { method: 'points', total: 100 }
} as const satisfies { [M in VoteMethod]: Extract<VoteSettings, { method: M }> };

/** The most one voter can give one card, in the method's own unit. */
export function maxPerCard(s: VoteSettings): number {
	switch (s.method) {
		case 'dots':
			return s.cap;
		case 'ranking':
			return s.topN;
		case 'score':
			return SCORE_MAX - SCORE_MIN;
		case 'approval':
			return 1;
		case 'points':
			return s.total;
	}
}
