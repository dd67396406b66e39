/**
 * Cross-sector agreement for one card, from each sector group's support.
 *
 * consensus — Pol.is-style group-informed consensus, put on a 0–1 scale: the geometric mean over
 *   groups of each group's smoothed support, (sum of normalised support + 1) / (voters + 2).
 *   Pol.is multiplies per-group agreement so that a statement scores high only if every group
 *   backs it; taking the G-th root keeps that property (one unconvinced sector pulls it down
 *   far more than an average would) while keeping the figure on the same scale as support,
 *   comparable between sessions with different numbers of sectors. The +1/+2 (Laplace)
 *   smoothing stops a single small group at zero from zeroing every card, and makes a card
 *   backed by a handful count for less than the same share of a larger group.
 *   We preferred it to "minimum support across sectors", which ignores every sector but one
 *   and swings with a single voter in the smallest group.
 * division — the gap between the most and least supportive group's mean support (0–1): high
 *   where sectors split, whatever the overall level.
 * Both need at least two groups; with one there is nothing to compare.
 */
export interface GroupSupport {
	/** Sum over the group's ballots of normalised support (0–1 each). */
	supportSum: number;
	voters: number;
}

export interface Agreement {
	consensus: number | null;
	division: number | null;
}

export function agreement(groups: readonly GroupSupport[]): Agreement {
	const counted = groups.filter((g) => g.voters > 0);
	if (counted.length < 2) return { consensus: null, division: null };
	let logSum = 0;
	let min = Infinity;
	let max = -Infinity;
	for (const g of counted) {
		logSum += Math.log((g.supportSum + 1) / (g.voters + 2));
		const mean = g.supportSum / g.voters;
		min = Math.min(min, mean);
		max = Math.max(max, mean);
	}
	return { consensus: Math.exp(logSum / counted.length), division: max - min };
}
