import { error, fail, type RequestEvent } from '@sveltejs/kit';
import { roleAllows, type BoardAction } from '$lib/domain/board/roles';
import { adjustForm, parseBallotForm } from '$lib/domain/votes/forms';
import { requireBoardRole } from '$lib/server/auth/guards';
import { getBoard } from '$lib/server/boards/boards';
import { getFacilitation } from '$lib/server/boards/facilitation';
import { boardParam, recordParam } from '$lib/server/http/params';
import { readForm } from '$lib/server/http/forms';
import {
	adjustBallot,
	castBallot,
	confirmBallot,
	readOwnBallot,
	type CastResult
} from '$lib/server/votes/ballots';
import { readBoardCards, votableWordings } from '$lib/server/votes/cards';
import { publishProgress } from '$lib/server/votes/progress';
import { loadResults } from '$lib/server/votes/results';
import { metrics } from '$lib/server/metrics/registry';
import {
	acceptsBallots,
	closeSession,
	countBallots,
	countEligible,
	getSession,
	revealSession,
	type StateChange
} from '$lib/server/votes/sessions';
import type { Actions, PageServerLoad } from './$types';

/**
 * One vote session. Before reveal this page — its HTML and its `__data.json` — carries the
 * session, the ballot's cards, the progress counts and the viewer's own ballot, and nothing of
 * anyone else's: results are loaded only once the session is revealed.
 */
export const load: PageServerLoad = async (event) => {
	event.depends('yoriai:votes');
	const id = boardParam(event.params);
	const sid = recordParam(event.params.sid);
	const { user, role } = await requireBoardRole(event, id, 'read');
	const { app } = event.locals;
	const board = await getBoard(app.db, id);
	const session = await getSession(app.db, id, sid);
	if (!board || !session) error(404, 'Not Found');
	const cards = await readBoardCards(app, id);
	const now = app.now();
	const canVote = roleAllows(role, 'vote');
	// AC-06: ballots are taken only while the board is in its vote phase.
	const votePhase = (await getFacilitation(app.db, id)).phase === 'vote';
	const mine = canVote ? await readOwnBallot(app.db, sid, user.id) : null;
	const mineByCard = new Map(mine?.map((e) => [e.cardId, e]));

	return {
		board: { id, title: board.title },
		role,
		can: {
			vote: canVote && votePhase && acceptsBallots(session, now),
			facilitate: roleAllows(role, 'facilitate'),
			audit: roleAllows(role, 'audit')
		},
		session: {
			id: session.id,
			title: session.title,
			settings: session.settings,
			anonymous: session.anonymous,
			minGroup: session.minGroup,
			deadline: session.deadline,
			accepting: acceptsBallots(session, now),
			votePhase,
			revealed: session.revealedAt !== null
		},
		now,
		progress: { voted: await countBallots(app.db, sid), eligible: await countEligible(app.db, id) },
		cards: session.cards.map((cardId) => {
			const c = cards.byId.get(cardId);
			const merged = c?.mergedInto ? cards.byId.get(c.mergedInto) : undefined;
			const entry = mineByCard.get(cardId);
			return {
				id: cardId,
				title: c?.title ?? '',
				note: c?.note ?? '',
				// The note and sources open from the ballot: people vote on what the card says.
				sources: (c?.sources ?? []).map((src) => ({
					itemId: src.itemId,
					reportTitle: src.reportTitle,
					sectionLabel: src.sectionLabel,
					quote: src.quote
				})),
				gone: !c || c.archived,
				mergedInto: merged?.title ?? null,
				mine: entry ? { value: entry.value, value2: entry.value2 } : null,
				// "Edited since you voted": the card's wording is not what this entry was cast on.
				edited: entry !== undefined && c !== undefined && entry.wordingHash !== c.wordingHash
			};
		}),
		voted: mine !== null,
		results: session.revealedAt !== null ? await loadResults(app.db, session, cards) : null
	};
};

/** What every ballot action starts with: the guard, the session and the current wordings. */
async function ballotContext(
	event: RequestEvent<{ id: string; sid: string }>,
	action: BoardAction
) {
	const id = boardParam(event.params);
	const sid = recordParam(event.params.sid);
	const { user } = await requireBoardRole(event, id, action);
	const { app } = event.locals;
	const session = await getSession(app.db, id, sid);
	if (!session) error(404, 'Not Found');
	return { id, sid, user, app, session };
}

/**
 * What a refused ballot form held, to be shown again as typed (a phone voter must not retype a
 * whole 100-point ballot because one number was off). Only ballot fields, only short values:
 * nothing else of the request is echoed back.
 */
function enteredValues(form: FormData): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [key, value] of form)
		if (/^[cf]\.[A-Za-z0-9_-]{1,64}$/u.test(key) && typeof value === 'string')
			out[key] = value.slice(0, 8);
	return out;
}

function ballotOutcome(
	event: RequestEvent<{ id: string; sid: string }>,
	r: CastResult,
	done: 'cast' | 'adjusted' | 'confirmed',
	entered: Record<string, string> = {}
) {
	if (!r.ok)
		return fail(r.error === 'not_found' ? 404 : 400, {
			error: `vote.error.${r.error}` as const,
			// The ballot shows this error beside itself, with what was entered still in place.
			ballot: true as const,
			entered
		});
	metrics().ballots.inc({ change: done });
	// Not awaited: the ballot is stored and this voter's page reloads its counts from SQL; the
	// broadcast to everyone else coalesces with other ballots (and never rejects), so a room
	// voting at once does not wait on it.
	void publishProgress(event.locals.app, event.params.id, Number(event.params.sid));
	return { done };
}

async function stateOutcome(
	event: RequestEvent<{ id: string; sid: string }>,
	r: StateChange,
	done: 'closed' | 'revealed'
) {
	if (!r.ok)
		return fail(r.error === 'not_found' ? 404 : 400, { error: `vote.error.${r.error}` as const });
	await publishProgress(event.locals.app, event.params.id, Number(event.params.sid));
	return { done };
}

const voterOf = (u: { id: number; sector: string }) => ({ id: u.id, sector: u.sector });

export const actions: Actions = {
	/** A whole ballot (ranking, score, approval, points; an empty one abstains). */
	cast: async (event) => {
		const { id, sid, user, app, session } = await ballotContext(event, 'vote');
		const data = await event.request.formData();
		const entered = enteredValues(data);
		const form = parseBallotForm(data, session.settings, new Set(session.cards));
		if (!form.ok)
			return fail(400, { error: 'vote.error.bad_form' as const, ballot: true as const, entered });
		const wordings = votableWordings(await readBoardCards(app, id), session.cards);
		const r = await castBallot(app.db, id, sid, voterOf(user), form.entries, wordings, app.now());
		return ballotOutcome(event, r, 'cast', entered);
	},

	/** One dot more or less (dot voting). */
	adjust: async (event) => {
		const { id, sid, user, app, session } = await ballotContext(event, 'vote');
		const form = readForm(await event.request.formData(), adjustForm);
		if (!form.ok) return fail(400, { error: 'vote.error.bad_form' as const });
		const wordings = votableWordings(await readBoardCards(app, id), session.cards);
		const delta = form.data.delta === '1' ? 1 : -1;
		const r = await adjustBallot(
			app.db,
			id,
			sid,
			voterOf(user),
			form.data.card,
			delta,
			wordings,
			app.now()
		);
		return ballotOutcome(event, r, 'adjusted');
	},

	/** "Still my vote" after cards were edited. */
	confirm: async (event) => {
		const { id, sid, user, app, session } = await ballotContext(event, 'vote');
		const form = await event.request.formData();
		if ([...form.keys()].length > 0) return fail(400, { error: 'vote.error.bad_form' as const });
		const wordings = votableWordings(await readBoardCards(app, id), session.cards);
		const r = await confirmBallot(app.db, id, sid, voterOf(user), wordings, app.now());
		return ballotOutcome(event, r, 'confirmed');
	},

	close: async (event) => {
		const { id, sid, user, app } = await ballotContext(event, 'facilitate');
		const actor = { id: user.id, name: user.display_name };
		return stateOutcome(event, await closeSession(app.db, id, sid, actor, app.now()), 'closed');
	},

	reveal: async (event) => {
		const { id, sid, user, app } = await ballotContext(event, 'facilitate');
		const actor = { id: user.id, name: user.display_name };
		return stateOutcome(event, await revealSession(app.db, id, sid, actor, app.now()), 'revealed');
	}
};
