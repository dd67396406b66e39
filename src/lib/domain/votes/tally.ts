import type { BallotEntry } from './ballot';
import { maxPerCard, SCORE_MIN, type VoteSettings } from './methods';

export interface TallyBallot {
	voterId: number;
	/** The voter's sector when they voted. */
	sector: string;
	entries: readonly BallotEntry[];
}

export interface CardTally {
	cardId: string;
	/**
	 * The method's own measure: dots, Borda points, approvals or points summed over ballots; for
	 * score votes the mean of impact and feasibility over those who rated the card (0 if nobody).
	 */
	total: number;
	/** Competition rank ("1, 2, 2, 4"): tied cards share a rank and the next rank is skipped. */
	rank: number;
	/** Ballots that gave the card anything. */
	supporters: number;
	/** Mean normalised support (0–1) over all ballots, abstentions included: see `supportOf`. */
	support: number;
	/** Score votes: mean impact and feasibility of those who rated the card (null otherwise). */
	impact: number | null;
	feasibility: number | null;
}

export interface Tally {
	ballots: number;
	/** Ballots with no entry at all. */
	abstentions: number;
	/** Every card of the session, best first; ties keep the session's card order. */
	cards: CardTally[];
}

/**
 * Borda count, top-N form: the first of N ranked cards gets N points, the N-th 1 point, and an
 * unranked card 0. Ballots that rank fewer than N cards still give their k-th card N − k + 1,
 * so ranking fewer cards never inflates the ones ranked.
 */
export function bordaPoints(topN: number, rank: number): number {
	return topN - rank + 1;
}

/** What one entry adds to a card's total, in the method's unit (score is averaged separately). */
function contribution(s: VoteSettings, e: BallotEntry): number {
	return s.method === 'ranking'
		? bordaPoints(s.topN, e.value)
		: s.method === 'approval'
			? 1
			: e.value;
}

/**
 * What one voter gave one card as a share (0–1) of the most one voter can give one card: dots
 * over the per-card cap, Borda points over N, approval 0 or 1, points over the total, and for
 * score the mean of impact and feasibility placed on 0–1 (1 → 0, 5 → 1).
 */
export function supportOf(s: VoteSettings, e: BallotEntry): number {
	if (s.method === 'score') {
		const mean = (e.value + (e.value2 ?? SCORE_MIN)) / 2;
		return (mean - SCORE_MIN) / maxPerCard(s);
	}
	return Math.min(1, contribution(s, e) / maxPerCard(s));
}

/** Tallies a session's ballots over its cards. Entries for cards outside `cardIds` are ignored. */
export function tally(
	settings: VoteSettings,
	cardIds: readonly string[],
	ballots: readonly TallyBallot[]
): Tally {
	const acc = new Map<string, { sum: number; sum2: number; supporters: number; support: number }>(
		cardIds.map((id) => [id, { sum: 0, sum2: 0, supporters: 0, support: 0 }])
	);
	let abstentions = 0;
	for (const b of ballots) {
		if (b.entries.length === 0) abstentions++;
		for (const e of b.entries) {
			const a = acc.get(e.cardId);
			if (!a) continue;
			a.sum += contribution(settings, e);
			a.sum2 += e.value2 ?? 0;
			a.supporters++;
			a.support += supportOf(settings, e);
		}
	}
	const cards = cardIds.map((cardId, order) => {
		const a = acc.get(cardId)!;
		const rated = settings.method === 'score' && a.supporters > 0;
		return {
			order,
			cardId,
			// One division of integer sums, so equal means compare equal (no rounding drift).
			total:
				settings.method !== 'score' ? a.sum : rated ? (a.sum + a.sum2) / (2 * a.supporters) : 0,
			rank: 0,
			supporters: a.supporters,
			support: ballots.length > 0 ? a.support / ballots.length : 0,
			impact: rated ? a.sum / a.supporters : null,
			feasibility: rated ? a.sum2 / a.supporters : null
		};
	});
	cards.sort((x, y) => y.total - x.total || x.order - y.order);
	let previous: { total: number; rank: number } | null = null;
	cards.forEach((c, i) => {
		c.rank = previous && previous.total === c.total ? previous.rank : i + 1;
		previous = c;
	});
	return {
		ballots: ballots.length,
		abstentions,
		cards: cards.map(({ order: _order, ...c }) => c)
	};
}
