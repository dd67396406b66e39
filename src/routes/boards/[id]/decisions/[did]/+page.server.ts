import { error, fail } from '@sveltejs/kit';
import { roleAllows } from '$lib/domain/board/roles';
import { SECTORS } from '$lib/domain/accounts/sectors';
import { japanDate } from '$lib/domain/decisions/due';
import { ACTION_STATUSES } from '$lib/domain/decisions/types';
import { requireBoardRole } from '$lib/server/auth/guards';
import { getBoard } from '$lib/server/boards/boards';
import { createAction, editAction, listBoardActions } from '$lib/server/decisions/actions';
import { getDecision, recordDecision } from '$lib/server/decisions/decisions';
import {
	readDecisionForm,
	readEditActionForm,
	readNewActionForm
} from '$lib/server/decisions/form-input';
import { progressAction } from '$lib/server/decisions/progress-action';
import { boardParam, recordParam } from '$lib/server/http/params';
import { formFailure } from '$lib/server/http/forms';
import { readBoardCards } from '$lib/server/votes/cards';
import { decisionSetup } from '../shared.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const id = boardParam(event.params);
	const did = recordParam(event.params.did);
	const { user, role } = await requireBoardRole(event, id, 'read');
	const { app } = event.locals;
	const board = await getBoard(app.db, id);
	const decision = await getDecision(app.db, id, did);
	if (!board || !decision) error(404, 'Not Found');
	const decide = roleAllows(role, 'decide');
	return {
		board: { id, title: board.title },
		me: user.id,
		today: japanDate(app.now()),
		can: { decide, audit: roleAllows(role, 'audit') },
		statuses: ACTION_STATUSES,
		sectors: SECTORS,
		decision,
		actions: (await listBoardActions(app.db, id)).filter((a) => a.decisionId === did),
		setup: decide ? await decisionSetup(app.db, id, await readBoardCards(app, id)) : null
	};
};

/** Which field a refused action belongs beside, so the message shows next to what caused it. */
const actionErrorField = (e: string) =>
	e === 'past_due' ? 'due' : e === 'not_member' || e === 'observer_owner' ? 'owner' : '_form';

const textValues = (data: FormData) =>
	Object.fromEntries(
		[...data].filter((e): e is [string, string] => typeof e[1] === 'string')
	) as Record<string, string>;

const actorOf = (u: { id: number; display_name: string }) => ({ id: u.id, name: u.display_name });

export const actions: Actions = {
	/** A new revision: the old ones stay as they were. */
	revise: async (event) => {
		const id = boardParam(event.params);
		const did = recordParam(event.params.did);
		const { user } = await requireBoardRole(event, id, 'decide');
		const { app } = event.locals;
		const input = await readDecisionForm(app, id, await event.request.formData());
		if (!input.ok) return fail(400, { ...input.failure, form: 'revise' as const });
		const r = await recordDecision(app.db, id, did, input.value, actorOf(user), app.now());
		if (!r.ok)
			return fail(404, {
				...formFailure({ _form: { key: `decision.error.${r.error}` } }),
				form: 'revise' as const
			});
		return { done: 'revised' as const };
	},

	addAction: async (event) => {
		const id = boardParam(event.params);
		const did = recordParam(event.params.did);
		const { user } = await requireBoardRole(event, id, 'decide');
		const { app } = event.locals;
		const data = await event.request.formData();
		const input = readNewActionForm(data);
		if (!input.ok) return fail(400, { ...input.failure, form: 'action' as const });
		const r = await createAction(app.db, id, did, input.value, actorOf(user), app.now());
		// A refusal sends back what was typed, so the form shows it again with the reason.
		if (!r.ok)
			return fail(400, {
				...formFailure(
					{ [actionErrorField(r.error)]: { key: `action.error.${r.error}` } },
					textValues(data)
				),
				form: 'action' as const
			});
		return { done: 'actionAdded' as const };
	},

	editAction: async (event) => {
		const id = boardParam(event.params);
		const { user } = await requireBoardRole(event, id, 'decide');
		const { app } = event.locals;
		const data = await event.request.formData();
		const input = readEditActionForm(data);
		if (!input.ok)
			return fail(400, {
				...input.failure,
				form: 'edit' as const,
				action: Number(input.failure.values.action) || 0
			});
		const { action, ...fields } = input.value;
		const r = await editAction(app.db, id, action, fields, actorOf(user), app.now());
		if (!r.ok)
			return fail(400, {
				...formFailure(
					{ [actionErrorField(r.error)]: { key: `action.error.${r.error}` } },
					textValues(data)
				),
				form: 'edit' as const,
				action
			});
		return { done: 'actionEdited' as const };
	},

	progress: async (event) => progressAction(event, boardParam(event.params))
};
