import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { parseStrictInt } from '../../src/lib/domain/numbers';
import { adjustDots, validateBallot, type BallotEntry } from '../../src/lib/domain/votes/ballot';
import {
	parseBallotForm,
	settingsFromForm,
	openSessionForm
} from '../../src/lib/domain/votes/forms';
import type { VoteSettings } from '../../src/lib/domain/votes/methods';

const cards = new Set(['a', 'b', 'c', 'd']);
const e = (cardId: string, value: number, value2: number | null = null): BallotEntry => ({
	cardId,
	value,
	value2
});

describe('validateBallot', () => {
	const dots: VoteSettings = { method: 'dots', budget: 3, cap: 2 };
	test('dots: budget and per-card cap', () => {
		expect(validateBallot(dots, cards, [e('a', 2), e('b', 1)])).toBeNull();
		expect(validateBallot(dots, cards, [e('a', 2), e('b', 2)])).toBe('over_budget');
		expect(validateBallot(dots, cards, [e('a', 3)])).toBe('over_cap');
		expect(validateBallot(dots, cards, [])).toBeNull();
	});
	test('every method: unknown and repeated cards, non-positive or fractional values', () => {
		expect(validateBallot(dots, cards, [e('z', 1)])).toBe('unknown_card');
		expect(validateBallot(dots, cards, [e('a', 1), e('a', 1)])).toBe('duplicate_card');
		expect(validateBallot(dots, cards, [e('a', 0)])).toBe('bad_value');
		expect(validateBallot(dots, cards, [e('a', 1.5)])).toBe('bad_value');
		expect(validateBallot(dots, cards, [e('a', 1, 2)])).toBe('bad_value');
	});
	test('ranking: ranks 1…k, unique, within top-N', () => {
		const r: VoteSettings = { method: 'ranking', topN: 3 };
		expect(validateBallot(r, cards, [e('a', 1), e('b', 2), e('c', 3)])).toBeNull();
		expect(validateBallot(r, cards, [e('a', 1), e('b', 1)])).toBe('duplicate_rank');
		expect(validateBallot(r, cards, [e('a', 1), e('b', 3)])).toBe('rank_gap');
		expect(validateBallot(r, cards, [e('a', 4)])).toBe('bad_value');
	});
	test('score: both criteria on 1–5', () => {
		const s: VoteSettings = { method: 'score' };
		expect(validateBallot(s, cards, [e('a', 5, 1)])).toBeNull();
		expect(validateBallot(s, cards, [e('a', 5)])).toBe('incomplete_score');
		expect(validateBallot(s, cards, [e('a', 0, 3)])).toBe('incomplete_score');
		expect(validateBallot(s, cards, [e('a', 6, 3)])).toBe('bad_value');
		expect(validateBallot(s, cards, [e('a', 3, 2.5)])).toBe('bad_value');
	});
	test('approval: 1 per approved card', () => {
		const a: VoteSettings = { method: 'approval' };
		expect(validateBallot(a, cards, [e('a', 1), e('b', 1), e('c', 1), e('d', 1)])).toBeNull();
		expect(validateBallot(a, cards, [e('a', 2)])).toBe('bad_value');
	});
	test('points: at most the total, in all and per card', () => {
		const p: VoteSettings = { method: 'points', total: 100 };
		expect(validateBallot(p, cards, [e('a', 70), e('b', 30)])).toBeNull();
		expect(validateBallot(p, cards, [e('a', 70), e('b', 31)])).toBe('over_budget');
		expect(validateBallot(p, cards, [e('a', 101)])).toBe('over_cap');
	});
});

describe('adjustDots', () => {
	const dots = { method: 'dots', budget: 3, cap: 2 } as const;
	test('adds and removes one dot, respecting cap and budget', () => {
		let entries: BallotEntry[] = [];
		for (const card of ['a', 'a', 'b']) {
			const r = adjustDots(dots, cards, entries, card, 1);
			if (!r.ok) throw new Error(r.error);
			entries = r.entries;
		}
		expect(adjustDots(dots, cards, entries, 'a', 1)).toEqual({ ok: false, error: 'over_cap' });
		expect(adjustDots(dots, cards, entries, 'c', 1)).toEqual({ ok: false, error: 'over_budget' });
		const less = adjustDots(dots, cards, entries, 'b', -1);
		expect(less.ok && less.entries).toEqual([e('a', 2)]);
		expect(adjustDots(dots, cards, entries, 'z', 1)).toEqual({ ok: false, error: 'unknown_card' });
	});
});

describe('INP-08 strict numbers', () => {
	test('only plain digits in range', () => {
		for (const bad of [
			'1e3',
			'1e309',
			'NaN',
			'0x10',
			' 5 ',
			'5 ',
			'-1',
			'+1',
			'5.0',
			'',
			'٣',
			'9007199254740993',
			'01'
		])
			expect(parseStrictInt(bad, 0, 10_000_000), bad).toBeNull();
		expect(parseStrictInt('0', 0, 10)).toBe(0);
		expect(parseStrictInt('10', 0, 10)).toBe(10);
		expect(parseStrictInt('11', 0, 10)).toBeNull();
	});

	test('property: any string parses to null or to an in-range integer whose digits it is', () => {
		fc.assert(
			fc.property(fc.string(), fc.nat(1000), (s, max) => {
				const n = parseStrictInt(s, 0, max);
				return n === null || (Number.isSafeInteger(n) && n <= max && String(n) === s);
			})
		);
	});

	test('INP-08 budget fields of the open form refuse anything but digits', () => {
		const base = { title: 'T', method: 'dots', scope: 'all' };
		for (const budget of ['1e1', '-1', ' 3', '0x3', '101', '3.5'])
			expect(openSessionForm.safeParse({ ...base, budget }).success, budget).toBe(false);
		const ok = openSessionForm.parse({ ...base, budget: '4', cap: '5' });
		expect(settingsFromForm(ok)).toEqual({ ok: false, field: 'cap' });
		expect(settingsFromForm(openSessionForm.parse({ ...base, budget: '4', cap: '' }))).toEqual({
			ok: true,
			settings: { method: 'dots', budget: 4, cap: 3 }
		});
	});
});

describe('parseBallotForm', () => {
	const form = (fields: [string, string][]) => {
		const f = new FormData();
		for (const [k, v] of fields) f.append(k, v);
		return f;
	};
	const points: VoteSettings = { method: 'points', total: 100 };
	const score: VoteSettings = { method: 'score' };

	test('reads values per card; blank and 0 leave a card out', () => {
		expect(
			parseBallotForm(
				form([
					['c.a', '60'],
					['c.b', ''],
					['c.c', '0']
				]),
				points,
				cards
			)
		).toEqual({
			ok: true,
			entries: [e('a', 60)]
		});
		expect(
			parseBallotForm(
				form([
					['c.a', '4'],
					['f.a', '2']
				]),
				score,
				cards
			)
		).toEqual({
			ok: true,
			entries: [e('a', 4, 2)]
		});
		// Half a score reaches validation, which refuses it.
		const half = parseBallotForm(form([['f.b', '2']]), score, cards);
		expect(half.ok && validateBallot(score, cards, half.entries)).toBe('incomplete_score');
	});

	test('INP-01 property: any form either is refused or yields entries on session cards with whole values', () => {
		const key = fc.oneof(
			fc.constantFrom('c.a', 'c.b', 'f.a', 'f.b', 'c.z', '__proto__', 'c.__proto__'),
			fc.string({ maxLength: 8 })
		);
		const value = fc.oneof(
			fc.constantFrom('', '0', '1', '5', '100', '1e2', '-1', ' 3'),
			fc.string()
		);
		fc.assert(
			fc.property(fc.array(fc.tuple(key, value), { maxLength: 8 }), (fields) => {
				for (const settings of [points, score]) {
					const r = parseBallotForm(form(fields), settings, cards);
					if (!r.ok) continue;
					for (const e of r.entries) {
						if (!cards.has(e.cardId) || !Number.isSafeInteger(e.value)) return false;
						if (e.value2 !== null && !Number.isSafeInteger(e.value2)) return false;
					}
				}
				return ({} as Record<string, unknown>).c === undefined;
			})
		);
	});

	test('INP-01/INP-08: unknown fields, repeated fields, other cards and loose numbers are refused', () => {
		for (const fields of [
			[['c.z', '1']],
			[['x', '1']],
			[
				['c.a', '1'],
				['c.a', '2']
			],
			[['f.a', '1']],
			[['c.a', '1e1']],
			[['c.a', '-5']],
			[['c.a', ' 5']],
			[['c.a', '0x5']],
			[['c.__proto__', '1']]
		] as [string, string][][])
			expect(parseBallotForm(form(fields), points, cards).ok, JSON.stringify(fields)).toBe(false);
	});
});
