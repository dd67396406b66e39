import { z } from 'zod';
import { line } from '../forms';
import { parseStrictInt, strictInt } from '../numbers';
import type { BallotEntry } from './ballot';
import { DEFAULT_SETTINGS, VOTE_LIMITS, VOTE_METHODS, type VoteSettings } from './methods';

/**
 * Card ids as they may appear on a ballot and in form field names. The board document's own
 * ids are 15 base32 characters; anything a client managed to put there beyond this pattern is
 * left off ballots rather than echoed into HTML attributes and SQL.
 */
export const CARD_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/u;

const optionalInt = (min: number, max: number) => z.union([z.literal(''), strictInt(min, max)]);

/** Opening a session (the chosen cards, a repeated field, are read separately). */
export const openSessionForm = z.strictObject({
	title: line(VOTE_LIMITS.title),
	method: z.enum(VOTE_METHODS, { error: 'error.invalid' }),
	scope: z.enum(['all', 'lane', 'cards'], { error: 'error.invalid' }),
	lane: z.string().max(64).optional(),
	anonymous: z.literal('on').optional(),
	facilitators_vote: z.literal('on').optional(),
	shuffle: z.literal('on').optional(),
	deadline: optionalInt(1, VOTE_LIMITS.deadlineMinutes).optional(),
	budget: optionalInt(1, VOTE_LIMITS.budget).optional(),
	cap: optionalInt(1, VOTE_LIMITS.budget).optional(),
	top_n: optionalInt(1, VOTE_LIMITS.topN).optional(),
	total: optionalInt(1, VOTE_LIMITS.points).optional(),
	min_group: optionalInt(VOTE_LIMITS.minGroup.min, VOTE_LIMITS.minGroup.max).optional()
});

export type OpenSessionFields = z.infer<typeof openSessionForm>;

const orDefault = (v: number | '' | undefined, d: number) => (v === '' || v === undefined ? d : v);

/** The method's settings from the form; blank fields take the defaults. */
export function settingsFromForm(
	f: OpenSessionFields
): { ok: true; settings: VoteSettings } | { ok: false; field: 'cap' } {
	switch (f.method) {
		case 'dots': {
			const budget = orDefault(f.budget, DEFAULT_SETTINGS.dots.budget);
			const cap = orDefault(f.cap, Math.min(DEFAULT_SETTINGS.dots.cap, budget));
			// A cap above the budget could never be reached: say so rather than silently clamp.
			if (cap > budget) return { ok: false, field: 'cap' };
			return { ok: true, settings: { method: 'dots', budget, cap } };
		}
		case 'ranking':
			return {
				ok: true,
				settings: { method: 'ranking', topN: orDefault(f.top_n, DEFAULT_SETTINGS.ranking.topN) }
			};
		case 'points':
			return {
				ok: true,
				settings: { method: 'points', total: orDefault(f.total, DEFAULT_SETTINGS.points.total) }
			};
		case 'score':
		case 'approval':
			return { ok: true, settings: { method: f.method } };
	}
}

/** Field names of a ballot form: `c.<card>` holds the value, `f.<card>` a score's feasibility. */
const BALLOT_FIELD = /^([cf])\.([A-Za-z0-9_-]{1,64})$/u;
/** The largest value any method accepts in one field: the points total. */
const MAX_FIELD_VALUE = VOTE_LIMITS.points;

/**
 * Reads a whole ballot from a form: every field single-valued and named for a card of this
 * session, every value blank or a whole number (INP-08). Blank and 0 mean "nothing for this
 * card". Whether the ballot fits the method (budget, caps, ranks) is `validateBallot`'s job.
 */
export function parseBallotForm(
	form: FormData,
	settings: VoteSettings,
	cards: ReadonlySet<string>
): { ok: true; entries: BallotEntry[] } | { ok: false } {
	const values = new Map<string, { c?: number; f?: number }>();
	const keys = new Set(form.keys());
	if (keys.size > 2 * cards.size) return { ok: false };
	for (const key of keys) {
		const m = BALLOT_FIELD.exec(key);
		const all = form.getAll(key);
		if (!m || all.length !== 1 || typeof all[0] !== 'string') return { ok: false };
		const [, kind, cardId] = m as unknown as [string, 'c' | 'f', string];
		if (!cards.has(cardId) || (kind === 'f' && settings.method !== 'score')) return { ok: false };
		if (all[0] === '') continue;
		const n = parseStrictInt(all[0], 0, MAX_FIELD_VALUE);
		if (n === null) return { ok: false };
		if (n === 0) continue;
		const v = values.get(cardId) ?? {};
		v[kind] = n;
		values.set(cardId, v);
	}
	const entries: BallotEntry[] = [];
	for (const [cardId, v] of values) {
		// A feasibility without an impact keeps value 0, which validateBallot refuses.
		entries.push({
			cardId,
			value: v.c ?? 0,
			value2: settings.method === 'score' ? (v.f ?? null) : null
		});
	}
	return { ok: true, entries };
}

export const adjustForm = z.strictObject({
	card: z.string().regex(CARD_ID_PATTERN, { error: 'error.invalid' }),
	delta: z.enum(['1', '-1'], { error: 'error.invalid' })
});
