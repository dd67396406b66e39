import { describe, expect, test } from 'vitest';
import type { BallotEntry } from '../../src/lib/domain/votes/ballot';
import type { VoteSettings } from '../../src/lib/domain/votes/methods';
import { bordaPoints, supportOf, tally, type TallyBallot } from '../../src/lib/domain/votes/tally';

const CARDS = ['a', 'b', 'c', 'd'];
let voter = 0;
const ballot = (
	marks: Record<string, number | [number, number]>,
	sector = 'industry'
): TallyBallot => ({
	voterId: ++voter,
	sector,
	entries: Object.entries(marks).map(([cardId, v]): BallotEntry =>
		Array.isArray(v) ? { cardId, value: v[0], value2: v[1] } : { cardId, value: v, value2: null }
	)
});
const byCard = (r: ReturnType<typeof tally>) =>
	Object.fromEntries(r.cards.map((c) => [c.cardId, c]));

const dots: VoteSettings = { method: 'dots', budget: 5, cap: 3 };
const ranking: VoteSettings = { method: 'ranking', topN: 3 };
const score: VoteSettings = { method: 'score' };
const approval: VoteSettings = { method: 'approval' };
const points: VoteSettings = { method: 'points', total: 100 };

describe('dot voting', () => {
	test('sums dots, counts supporters, ranks best first', () => {
		const r = tally(dots, CARDS, [
			ballot({ a: 3, b: 2 }),
			ballot({ b: 3, c: 1 }),
			ballot({ a: 1 })
		]);
		const c = byCard(r);
		expect(r.cards.map((x) => x.cardId)).toEqual(['b', 'a', 'c', 'd']);
		expect(c.b).toMatchObject({ total: 5, rank: 1, supporters: 2 });
		expect(c.a).toMatchObject({ total: 4, rank: 2, supporters: 2 });
		expect(c.d).toMatchObject({ total: 0, rank: 4, supporters: 0, support: 0 });
		// b: (2/3 + 3/3 + 0) / 3 ballots
		expect(c.b!.support).toBeCloseTo((2 / 3 + 1) / 3, 10);
	});

	test('ties share a rank and the next rank is skipped (1, 1, 3, 4)', () => {
		const r = tally(dots, CARDS, [ballot({ a: 2, b: 2, c: 1 })]);
		expect(r.cards.map((x) => [x.cardId, x.rank])).toEqual([
			['a', 1],
			['b', 1],
			['c', 3],
			['d', 4]
		]);
	});

	test('an empty session: every card 0 and tied first, no division by zero', () => {
		const r = tally(dots, CARDS, []);
		expect(r.ballots).toBe(0);
		expect(r.abstentions).toBe(0);
		expect(r.cards.every((c) => c.total === 0 && c.rank === 1 && c.support === 0)).toBe(true);
		expect(r.cards.map((c) => c.cardId)).toEqual(CARDS);
	});

	test('abstentions count as ballots with no support', () => {
		const r = tally(dots, CARDS, [ballot({}), ballot({ a: 3 })]);
		expect(r.ballots).toBe(2);
		expect(r.abstentions).toBe(1);
		expect(byCard(r).a!.support).toBe(0.5);
	});

	test('entries for cards outside the session are ignored', () => {
		const r = tally(dots, ['a'], [ballot({ a: 1, z: 3 })]);
		expect(r.cards).toHaveLength(1);
		expect(r.cards[0]!.total).toBe(1);
	});
});

describe('ranking (Borda count, top-N)', () => {
	test('N points for first … 1 for N-th, 0 unranked', () => {
		expect([1, 2, 3].map((r) => bordaPoints(3, r))).toEqual([3, 2, 1]);
		const r = tally(ranking, CARDS, [
			ballot({ a: 1, b: 2, c: 3 }),
			ballot({ b: 1, a: 2, d: 3 }),
			// A partial ranking: its first still gets N points.
			ballot({ b: 1, c: 2 })
		]);
		const c = byCard(r);
		expect([c.a!.total, c.b!.total, c.c!.total, c.d!.total]).toEqual([5, 8, 3, 1]);
		expect(r.cards.map((x) => x.cardId)).toEqual(['b', 'a', 'c', 'd']);
		expect(c.b!.support).toBeCloseTo(8 / 9, 10);
	});

	test('a Borda tie keeps the ballot order and shares the rank', () => {
		const r = tally(ranking, CARDS, [ballot({ a: 1, b: 2 }), ballot({ b: 1, a: 2 })]);
		expect(r.cards.slice(0, 2).map((x) => [x.cardId, x.rank, x.total])).toEqual([
			['a', 1, 5],
			['b', 1, 5]
		]);
		expect(byCard(r).c!.rank).toBe(3);
	});
});

describe('score (impact × feasibility, 1–5)', () => {
	test('means over raters; unrated cards last with no means', () => {
		const r = tally(score, CARDS, [ballot({ a: [5, 3], b: [2, 2] }), ballot({ a: [4, 5] })]);
		const c = byCard(r);
		expect(c.a).toMatchObject({ impact: 4.5, feasibility: 4, total: 4.25, rank: 1, supporters: 2 });
		expect(c.b).toMatchObject({ impact: 2, feasibility: 2, total: 2, rank: 2 });
		expect(c.c).toMatchObject({ impact: null, feasibility: null, total: 0, rank: 3 });
		expect(c.d!.rank).toBe(3);
		// Support on 0–1: a rating of (5,3) is mean 4 → 0.75; (4,5) → 0.875.
		expect(c.a!.support).toBeCloseTo((0.75 + 0.875) / 2, 10);
	});

	test('equal means from different ballots tie exactly', () => {
		const r = tally(
			score,
			['a', 'b'],
			[
				ballot({ a: [1, 2], b: [2, 2] }),
				ballot({ a: [3, 3], b: [2, 3] }),
				ballot({ a: [2, 3], b: [3, 2] })
			]
		);
		// a: 14/6, b: 14/6
		expect(r.cards.map((x) => x.rank)).toEqual([1, 1]);
	});
});

describe('approval', () => {
	test('counts approvals; support is the approving share', () => {
		const r = tally(approval, CARDS, [ballot({ a: 1, b: 1 }), ballot({ a: 1 }), ballot({})]);
		const c = byCard(r);
		expect(c.a).toMatchObject({ total: 2, rank: 1 });
		expect(c.a!.support).toBeCloseTo(2 / 3, 10);
		expect(c.b).toMatchObject({ total: 1, rank: 2 });
		expect(r.abstentions).toBe(1);
	});
});

describe('100 points', () => {
	test('sums points; ties share a rank', () => {
		const r = tally(points, CARDS, [ballot({ a: 60, b: 40 }), ballot({ b: 20, c: 80 })]);
		const c = byCard(r);
		expect(c.c).toMatchObject({ total: 80, rank: 1 });
		expect(c.a).toMatchObject({ total: 60, rank: 2 });
		expect(c.b).toMatchObject({ total: 60, rank: 2 });
		expect(c.d).toMatchObject({ total: 0, rank: 4 });
		expect(supportOf(points, { cardId: 'a', value: 100, value2: null })).toBe(1);
	});
});
