import { error, fail, redirect } from '@sveltejs/kit';
import { roleAllows } from '$lib/domain/board/roles';
import { compareSessions } from '$lib/domain/votes/compare';
import { CARD_ID_PATTERN, openSessionForm, settingsFromForm } from '$lib/domain/votes/forms';
import { DEFAULT_SETTINGS, VOTE_LIMITS, VOTE_METHODS } from '$lib/domain/votes/methods';
import { publishedAggregates } from '$lib/domain/votes/results';
import { parseStrictInt } from '$lib/domain/numbers';
import { requireBoardRole } from '$lib/server/auth/guards';
import { getBoard } from '$lib/server/boards/boards';
import { boardParam, takeRepeated } from '$lib/server/http/params';
import { formFailure, readForm, type FormFailure } from '$lib/server/http/forms';
import type { MessageKey } from '$lib/i18n/messages';
import { readBoardCards } from '$lib/server/votes/cards';
import { loadResults } from '$lib/server/votes/results';
import { countEligible, isClosed, listSessions } from '$lib/server/votes/sessions';
import { startVote } from '$lib/server/votes/start';
import { dropPrepared, getPrepared, listPrepared, savePrepared } from '$lib/server/votes/prepared';
import { visitWithCockpit } from '$lib/server/boards/cockpit';
import type { Actions, PageServerLoad } from './$types';

/** Sessions compared side by side at most (the table stays readable). */
const COMPARE_MAX = 4;

/**
 * The board's votes, the comparison of revealed ones, and the facilitator's form. Deliberately
 * not refreshed live (each session's own page is): a reload here would race the form.
 */
export const load: PageServerLoad = async (event) => {
	const id = boardParam(event.params);
	const who = await requireBoardRole(event, id, 'read');
	const { role } = who;
	const { app } = event.locals;
	const board = await getBoard(app.db, id);
	if (!board) error(404, 'Not Found');
	const cockpit = await visitWithCockpit(event, id, who, 'votes');
	const now = app.now();
	const sessions = await listSessions(app.db, id);
	const cards = await readBoardCards(app, id);
	const facilitate = roleAllows(role, 'facilitate');

	// Compare the sessions asked for (?compare=…), else the latest revealed ones.
	const revealed = sessions.filter((s) => s.revealedAt !== null);
	const asked = event.url.searchParams
		.getAll('compare')
		.map((v) => parseStrictInt(v, 1, 9_999_999));
	const chosen = (asked.length > 0 ? revealed.filter((s) => asked.includes(s.id)) : revealed).slice(
		0,
		COMPARE_MAX
	);
	const compared = [];
	for (const s of [...chosen].reverse())
		compared.push(publishedAggregates(await loadResults(app.db, s, cards)));

	return {
		board: { id, title: board.title },
		role,
		can: { facilitate, audit: roleAllows(role, 'audit') },
		cockpit,
		prepared: facilitate
			? (await listPrepared(app.db, id)).map((p) => ({ id: p.id, title: p.title }))
			: [],
		sessions: await Promise.all(
			sessions.map(async (s) => ({
				id: s.id,
				title: s.title,
				method: s.settings.method,
				closed: isClosed(s, now),
				revealed: s.revealedAt !== null,
				voted: s.voted,
				eligible: await countEligible(app.db, s),
				cards: s.cards.length,
				openedAt: s.openedAt
			}))
		),
		compare: {
			sessions: compared.map((r) => ({ id: r.sessionId, title: r.title, method: r.method })),
			rows: compareSessions(compared)
		},
		// What the "open a vote" form offers: lanes and cards, titles only.
		setup: facilitate
			? {
					methods: VOTE_METHODS,
					defaults: DEFAULT_SETTINGS,
					limits: VOTE_LIMITS,
					lanes: cards.view.lanes.map((l) => ({
						id: l.id,
						title: l.title,
						preset: l.preset,
						cards: l.cards.map((c) => ({ id: c.id, title: c.title }))
					}))
				}
			: null
	};
};

type Checked =
	| { ok: false; failure: FormFailure }
	| {
			ok: true;
			title: string;
			/** What the form held, to keep as a prepared vote: single fields and ticked cards. */
			raw: { fields: Record<string, string>; cards: string[] };
			open: (now: number) => Parameters<typeof startVote>[2];
	  };

/**
 * Reads and checks the "open a vote" form as opening it would — whether it opens now, is kept
 * as a prepared vote, or is a prepared vote being opened (checked again against the board as it
 * is then: a card merged away since drops out, and no cards left is refused).
 */
async function checkOpenForm(app: App.Locals['app'], id: string, data: FormData): Promise<Checked> {
	const taken = takeRepeated(data, 'card', CARD_ID_PATTERN, VOTE_LIMITS.cards);
	if (!taken) return { ok: false, failure: formFailure({ _form: { key: 'error.generic' } }) };
	const form = readForm(taken.rest, openSessionForm);
	if (!form.ok) return { ok: false, failure: formFailure(form.errors, form.values) };
	// What the page shows back in the form after a refusal.
	const echo = Object.fromEntries(
		Object.entries(form.data).map(([k, v]) => [k, v === undefined ? '' : String(v)])
	);
	const settings = settingsFromForm(form.data);
	if (!settings.ok)
		return {
			ok: false,
			failure: formFailure({ cap: { key: 'vote.error.cap_over_budget' } }, echo)
		};

	// The ballot's cards, in board order, from the server's copy of the board.
	const { view } = await readBoardCards(app, id);
	const f = form.data;
	const lanes = f.scope === 'lane' ? view.lanes.filter((l) => l.id === f.lane) : view.lanes;
	let cards = lanes.flatMap((l) => l.cards.map((c) => c.id));
	if (f.scope === 'cards') cards = cards.filter((c) => taken.values.includes(c));
	cards = cards.filter((c) => CARD_ID_PATTERN.test(c));
	if (cards.length === 0)
		return {
			ok: false,
			failure: formFailure({ scope: { key: 'vote.error.no_cards' } }, echo)
		};
	if (settings.settings.method === 'ranking' && settings.settings.topN > cards.length)
		settings.settings.topN = cards.length;
	const raw: Record<string, string> = {};
	for (const [k, v] of taken.rest.entries()) if (typeof v === 'string') raw[k] = v;
	return {
		ok: true,
		title: f.title,
		raw: { fields: raw, cards: taken.values },
		open: (now) => ({
			title: f.title,
			settings: settings.settings,
			cards,
			anonymous: f.anonymous === 'on',
			facilitatorsVote: f.facilitators_vote === 'on',
			shuffle: f.shuffle === 'on',
			minGroup:
				f.min_group === '' || f.min_group === undefined
					? VOTE_LIMITS.minGroup.default
					: f.min_group,
			deadline: f.deadline === '' || f.deadline === undefined ? null : now + f.deadline * 60_000
		})
	};
}

/** The prepared vote a form names (`prepared`), or null. */
async function preparedFrom(app: App.Locals['app'], id: string, data: FormData) {
	const value = data.get('prepared');
	const n = typeof value === 'string' ? parseStrictInt(value, 1, 2 ** 31 - 1) : null;
	return n === null ? null : getPrepared(app.db, id, n);
}

export const actions: Actions = {
	open: async (event) => {
		const id = boardParam(event.params);
		const { user } = await requireBoardRole(event, id, 'facilitate');
		const { app } = event.locals;
		const checked = await checkOpenForm(app, id, await event.request.formData());
		if (!checked.ok) return fail(400, checked.failure);
		const now = app.now();
		const r = await startVote(
			app,
			id,
			checked.open(now),
			{ id: user.id, name: user.display_name },
			now
		);
		if (!r.ok)
			return fail(
				400,
				formFailure({ _form: { key: `vote.error.${r.error}` } }, checked.raw.fields)
			);
		redirect(303, `/boards/${id}/votes/${r.id}`);
	},

	/** Keeps the form as a prepared vote, opened later from the cockpit in one click. */
	prepare: async (event) => {
		const id = boardParam(event.params);
		const { user } = await requireBoardRole(event, id, 'facilitate');
		const { app } = event.locals;
		const checked = await checkOpenForm(app, id, await event.request.formData());
		if (!checked.ok) return fail(400, checked.failure);
		const saved = await savePrepared(
			app.db,
			id,
			{ title: checked.title, ...checked.raw },
			user.id,
			app.now()
		);
		if (!saved)
			return fail(
				400,
				formFailure({ _form: { key: 'vote.error.prepared_limit' } }, checked.raw.fields)
			);
		return { prepared: checked.title };
	},

	/** Opens a prepared vote: its form checked again now, then opened as the form would. */
	openPrepared: async (event) => {
		const id = boardParam(event.params);
		const { user } = await requireBoardRole(event, id, 'facilitate');
		const { app } = event.locals;
		const prepared = await preparedFrom(app, id, await event.request.formData());
		if (!prepared) return fail(404, { preparedError: 'vote.error.prepared_gone' as MessageKey });
		const data = new FormData();
		for (const [k, v] of Object.entries(prepared.fields)) data.set(k, v);
		for (const c of prepared.cards) data.append('card', c);
		const checked = await checkOpenForm(app, id, data);
		if (!checked.ok)
			return fail(400, { preparedError: 'vote.error.prepared_invalid' as MessageKey });
		const now = app.now();
		const r = await startVote(
			app,
			id,
			checked.open(now),
			{ id: user.id, name: user.display_name },
			now
		);
		if (!r.ok) return fail(400, { preparedError: `vote.error.${r.error}` as MessageKey });
		await dropPrepared(app.db, id, prepared.id);
		redirect(303, `/boards/${id}/votes/${r.id}`);
	},

	dropPrepared: async (event) => {
		const id = boardParam(event.params);
		await requireBoardRole(event, id, 'facilitate');
		const { app } = event.locals;
		const prepared = await preparedFrom(app, id, await event.request.formData());
		if (!prepared || !(await dropPrepared(app.db, id, prepared.id)))
			return fail(404, { preparedError: 'vote.error.prepared_gone' as MessageKey });
		return { dropped: prepared.title };
	}
};
