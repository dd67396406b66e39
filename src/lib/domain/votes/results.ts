import { z } from 'zod';
import { SECTORS } from '../accounts/sectors';
import type { BallotEntry } from './ballot';
import { agreement } from './consensus';
import { VOTE_METHODS, voteSettingsSchema, type VoteSettings } from './methods';
import { groupSectors } from './sectors';
import { supportOf, tally, type TallyBallot } from './tally';

const count = z.int().min(0);
const entrySchema = z.strictObject({
	cardId: z.string(),
	value: z.int(),
	value2: z.int().nullable()
});

/**
 * The published results of a revealed session: what browsers, exports and decision snapshots
 * see. Aggregates only, sector groups already merged (sectors.ts); `voters` lists choices by
 * name only for open (non-anonymous) sessions, and never goes into snapshots or exports.
 */
export const voteResultsSchema = z.strictObject({
	sessionId: z.int(),
	title: z.string(),
	method: z.enum(VOTE_METHODS),
	settings: voteSettingsSchema,
	anonymous: z.boolean(),
	minGroup: z.int(),
	ballots: count,
	abstentions: count,
	eligible: count,
	revealedAt: z.number().nullable(),
	groups: z.array(z.strictObject({ key: z.string(), sectors: z.array(z.string()), voters: count })),
	hiddenVoters: count,
	cards: z.array(
		z.strictObject({
			cardId: z.string(),
			title: z.string(),
			total: z.number(),
			rank: z.int().min(1),
			supporters: count,
			support: z.number(),
			impact: z.number().nullable(),
			feasibility: z.number().nullable(),
			/** Mean support (0–1) per group, in the order of `groups`. */
			bySector: z.array(z.number()),
			consensus: z.number().nullable(),
			division: z.number().nullable(),
			/** Entries cast on an earlier wording of the card. */
			staleVotes: count
		})
	),
	voters: z
		.array(z.strictObject({ name: z.string(), sector: z.string(), entries: z.array(entrySchema) }))
		.nullable()
});

export type VoteResults = z.infer<typeof voteResultsSchema>;

export interface CastEntry extends BallotEntry {
	wordingHash: string;
}

export interface CastBallot extends TallyBallot {
	name: string;
	entries: readonly CastEntry[];
}

export interface ResultsInput {
	session: {
		id: number;
		title: string;
		settings: VoteSettings;
		anonymous: boolean;
		minGroup: number;
		revealedAt: number | null;
	};
	/** The session's cards in ballot order, with their current title and wording hash. */
	cards: readonly { id: string; title: string; wordingHash: string }[];
	ballots: readonly CastBallot[];
	eligible: number;
}

/** Tally, sector breakdown with suppression and cross-sector agreement, in one published shape. */
export function buildResults(input: ResultsInput): VoteResults {
	const { session, cards, ballots } = input;
	const s = session.settings;
	const t = tally(
		s,
		cards.map((c) => c.id),
		ballots
	);
	const counts = new Map<string, number>();
	for (const b of ballots) counts.set(b.sector, (counts.get(b.sector) ?? 0) + 1);
	const grouping = groupSectors(counts, session.minGroup, SECTORS);
	const groupOf = new Map<string, number>();
	grouping.groups.forEach((g, i) => g.sectors.forEach((sector) => groupOf.set(sector, i)));
	// supportSums[card][group]
	const sums = new Map(cards.map((c) => [c.id, grouping.groups.map(() => 0)]));
	const stale = new Map(cards.map((c) => [c.id, 0]));
	const hashOf = new Map(cards.map((c) => [c.id, c.wordingHash]));
	for (const b of ballots) {
		const g = groupOf.get(b.sector);
		for (const e of b.entries) {
			const row = sums.get(e.cardId);
			if (!row) continue;
			if (g !== undefined) row[g]! += supportOf(s, e);
			if (hashOf.get(e.cardId) !== e.wordingHash) stale.set(e.cardId, stale.get(e.cardId)! + 1);
		}
	}
	const titles = new Map(cards.map((c) => [c.id, c.title]));
	return {
		sessionId: session.id,
		title: session.title,
		method: s.method,
		settings: s,
		anonymous: session.anonymous,
		minGroup: session.minGroup,
		ballots: t.ballots,
		abstentions: t.abstentions,
		eligible: input.eligible,
		revealedAt: session.revealedAt,
		groups: grouping.groups,
		hiddenVoters: grouping.hidden,
		cards: t.cards.map((c) => {
			const row = sums.get(c.cardId)!;
			const groups = grouping.groups.map((g, i) => ({ supportSum: row[i]!, voters: g.voters }));
			return {
				...c,
				title: titles.get(c.cardId) ?? '',
				bySector: groups.map((g) => (g.voters > 0 ? g.supportSum / g.voters : 0)),
				// No votes, no agreement to speak of: the smoothing alone would give 25 % or so,
				// which a room reads as "a quarter agree".
				...(c.supporters === 0 ? { consensus: null, division: null } : agreement(groups)),
				staleVotes: stale.get(c.cardId)!
			};
		}),
		voters: session.anonymous
			? null
			: ballots.map((b) => ({
					name: b.name,
					sector: b.sector,
					entries: b.entries.map((e) => ({ cardId: e.cardId, value: e.value, value2: e.value2 }))
				}))
	};
}

/** Results as they go into a decision snapshot or an export: aggregates only. */
export function publishedAggregates(r: VoteResults): VoteResults {
	return { ...r, voters: null };
}
