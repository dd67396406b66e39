import { describe, expect, test } from 'vitest';
import { SECTORS } from '../../src/lib/domain/accounts/sectors';
import { compareSessions } from '../../src/lib/domain/votes/compare';
import { agreement } from '../../src/lib/domain/votes/consensus';
import { buildResults, type CastBallot } from '../../src/lib/domain/votes/results';
import { groupSectors } from '../../src/lib/domain/votes/sectors';

const counts = (o: Record<string, number>) => new Map(Object.entries(o));

describe('sector groups with small-group suppression', () => {
	test('groups at or over the threshold stand alone', () => {
		const g = groupSectors(counts({ academia: 3, industry: 4 }), 3, SECTORS);
		expect(g.groups).toEqual([
			{ key: 'industry', sectors: ['industry'], voters: 4 },
			{ key: 'academia', sectors: ['academia'], voters: 3 }
		]);
		expect(g.hidden).toBe(0);
	});

	test('small sectors merge; a merged group still under the threshold pulls in the smallest shown one', () => {
		expect(groupSectors(counts({ industry: 5, academia: 1, media: 2 }), 3, SECTORS).groups).toEqual(
			[
				{ key: 'industry', sectors: ['industry'], voters: 5 },
				{ key: 'merged', sectors: ['academia', 'media'], voters: 3 }
			]
		);
		// government alone (1) would be exposed by subtraction: academia (3, the smallest) joins it.
		expect(
			groupSectors(counts({ industry: 4, academia: 3, government: 1 }), 3, SECTORS).groups
		).toEqual([
			{ key: 'industry', sectors: ['industry'], voters: 4 },
			{ key: 'merged', sectors: ['academia', 'government'], voters: 4 }
		]);
	});

	test('every group shown has at least threshold voters, and groups cover every voter', () => {
		const cases: Record<string, number>[] = [
			{ industry: 1, academia: 1, government: 1 },
			{ industry: 2, academia: 2 },
			{ industry: 3, academia: 1 },
			{ industry: 9, academia: 4, government: 3, media: 2, finance: 1 }
		];
		for (const c of cases) {
			const g = groupSectors(counts(c), 3, SECTORS);
			const total = Object.values(c).reduce((a, b) => a + b, 0);
			expect(g.groups.every((x) => x.voters >= 3)).toBe(true);
			expect(g.groups.reduce((a, x) => a + x.voters, 0)).toBe(total);
		}
	});

	test('fewer voters than the threshold: no breakdown at all', () => {
		expect(groupSectors(counts({ industry: 1, academia: 1 }), 3, SECTORS)).toEqual({
			groups: [],
			hidden: 2
		});
		expect(groupSectors(new Map(), 3, SECTORS)).toEqual({ groups: [], hidden: 0 });
	});
});

describe('cross-sector agreement', () => {
	test('geometric mean of smoothed group support; division is the gap', () => {
		const split = agreement([
			{ supportSum: 3, voters: 3 },
			{ supportSum: 0, voters: 3 }
		]);
		expect(split.consensus).toBeCloseTo(Math.sqrt(0.8 * 0.2), 10);
		expect(split.division).toBe(1);
		const shared = agreement([
			{ supportSum: 2, voters: 3 },
			{ supportSum: 2, voters: 3 }
		]);
		expect(shared.division).toBe(0);
		// Same overall support (half), spread evenly: higher consensus than when split.
		expect(
			agreement([
				{ supportSum: 1.5, voters: 3 },
				{ supportSum: 1.5, voters: 3 }
			]).consensus!
		).toBeGreaterThan(split.consensus!);
	});

	test('one group or none: nothing to compare', () => {
		expect(agreement([{ supportSum: 2, voters: 3 }])).toEqual({ consensus: null, division: null });
		expect(agreement([])).toEqual({ consensus: null, division: null });
	});
});

describe('buildResults', () => {
	const ballot = (
		id: number,
		sector: string,
		marks: Record<string, number>,
		hash = 'h'
	): CastBallot => ({
		voterId: id,
		name: `v${id}`,
		sector,
		entries: Object.entries(marks).map(([cardId, value]) => ({
			cardId,
			value,
			value2: null,
			wordingHash: cardId === 'a' ? hash : 'h'
		}))
	});
	const input = (anonymous: boolean, ballots: CastBallot[]) => ({
		session: {
			id: 7,
			title: '優先度',
			settings: { method: 'approval' as const },
			anonymous,
			minGroup: 3,
			revealedAt: 1
		},
		cards: [
			{ id: 'a', title: 'A', wordingHash: 'h' },
			{ id: 'b', title: 'B', wordingHash: 'h' }
		],
		ballots,
		eligible: 8
	});
	const seven = [
		ballot(1, 'industry', { a: 1 }),
		ballot(2, 'industry', { a: 1 }),
		ballot(3, 'industry', { a: 1, b: 1 }),
		ballot(4, 'academia', { b: 1 }),
		ballot(5, 'academia', { b: 1 }),
		ballot(6, 'academia', { a: 1, b: 1 }, 'old'),
		ballot(7, 'media', {})
	];

	test('per-group support, merged small groups, stale votes, no names when anonymous', () => {
		const r = buildResults(input(true, seven));
		// media (1) merges with the smallest of industry/academia (3 each: industry comes first).
		expect(r.groups.map((g) => [g.key, g.voters])).toEqual([
			['academia', 3],
			['merged', 4]
		]);
		const a = r.cards.find((c) => c.cardId === 'a')!;
		expect(a.total).toBe(4);
		expect(a.bySector).toEqual([1 / 3, 3 / 4]);
		expect(a.staleVotes).toBe(1);
		expect(a.division).toBeCloseTo(3 / 4 - 1 / 3, 10);
		expect(r.voters).toBeNull();
		expect(r.abstentions).toBe(1);
		expect(r.eligible).toBe(8);
	});

	test('open sessions list choices by name', () => {
		const r = buildResults(input(false, seven));
		expect(r.voters?.[0]).toEqual({
			name: 'v1',
			sector: 'industry',
			entries: [{ cardId: 'a', value: 1, value2: null }]
		});
	});

	test('sessions compare card by card, relative rank first', () => {
		const one = buildResults(input(true, seven));
		const two = { ...one, sessionId: 8, cards: [{ ...one.cards[1]!, rank: 1 }] };
		const rows = compareSessions([one, two]);
		// a and b tie first in session one; b was on both ballots and first in both.
		expect(one.cards.map((c) => c.rank)).toEqual([1, 1]);
		expect(rows.map((r) => r.cardId)).toEqual(['b', 'a']);
		expect(rows[0]!.cells[1]).toMatchObject({ rank: 1 });
		expect(rows[1]!.cells[1]).toBeNull();
	});
});
