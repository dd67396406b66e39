import { SCORE_MAX, SCORE_MIN, type VoteSettings } from './methods';

/**
 * One mark on a ballot. `value` is in the method's unit — dots given, rank (1 = first), impact,
 * 1 for approval, points — and `value2` is feasibility for score votes (null otherwise). A card
 * a voter leaves alone has no entry; a ballot with no entries is an abstention.
 */
export interface BallotEntry {
	cardId: string;
	value: number;
	value2: number | null;
}

export type BallotError =
	| 'unknown_card'
	| 'duplicate_card'
	| 'bad_value'
	| 'over_cap'
	| 'over_budget'
	| 'duplicate_rank'
	| 'rank_gap'
	| 'incomplete_score';

/**
 * Checks a whole ballot against the session's method and cards. Pure: the server runs it inside
 * the transaction that stores the ballot, so what is checked is what is stored (AC-07).
 */
export function validateBallot(
	settings: VoteSettings,
	cards: ReadonlySet<string>,
	entries: readonly BallotEntry[]
): BallotError | null {
	const seen = new Set<string>();
	for (const e of entries) {
		if (!cards.has(e.cardId)) return 'unknown_card';
		if (seen.has(e.cardId)) return 'duplicate_card';
		seen.add(e.cardId);
		if (settings.method === 'score') {
			// Both criteria or neither: half a rating would skew the matrix.
			if (e.value === 0 || e.value2 === null) return 'incomplete_score';
			if (!inScale(e.value) || !inScale(e.value2)) return 'bad_value';
		} else if (!Number.isSafeInteger(e.value) || e.value < 1 || e.value2 !== null) {
			return 'bad_value';
		}
	}
	const sum = entries.reduce((a, e) => a + e.value, 0);
	switch (settings.method) {
		case 'dots':
			if (entries.some((e) => e.value > settings.cap)) return 'over_cap';
			return sum > settings.budget ? 'over_budget' : null;
		case 'points':
			if (entries.some((e) => e.value > settings.total)) return 'over_cap';
			return sum > settings.total ? 'over_budget' : null;
		case 'approval':
			return entries.some((e) => e.value !== 1) ? 'bad_value' : null;
		case 'ranking': {
			const ranks = entries.map((e) => e.value).sort((a, b) => a - b);
			if (ranks.some((r) => r > settings.topN)) return 'bad_value';
			if (new Set(ranks).size !== ranks.length) return 'duplicate_rank';
			// Ranks are 1…k with no gap, so "third" always means two cards come first.
			return ranks.every((r, i) => r === i + 1) ? null : 'rank_gap';
		}
		case 'score':
			return null;
	}
}

function inScale(v: number): boolean {
	return Number.isInteger(v) && v >= SCORE_MIN && v <= SCORE_MAX;
}

/**
 * One dot more or less on a card (the dot-voting buttons): the ballot that results, or the
 * error it would have. Removing the last dot drops the card's entry.
 */
export function adjustDots(
	settings: Extract<VoteSettings, { method: 'dots' }>,
	cards: ReadonlySet<string>,
	entries: readonly BallotEntry[],
	cardId: string,
	delta: 1 | -1
): { ok: true; entries: BallotEntry[] } | { ok: false; error: BallotError } {
	if (!cards.has(cardId)) return { ok: false, error: 'unknown_card' };
	const current = entries.find((e) => e.cardId === cardId)?.value ?? 0;
	const next = current + delta;
	const others = entries.filter((e) => e.cardId !== cardId);
	const result = next > 0 ? [...others, { cardId, value: next, value2: null }] : others;
	const error = validateBallot(settings, cards, result);
	return error ? { ok: false, error } : { ok: true, entries: result };
}
