import { error, fail, redirect } from '@sveltejs/kit';
import { roleAllows } from '$lib/domain/board/roles';
import { SECTORS } from '$lib/domain/accounts/sectors';
import { japanDate } from '$lib/domain/decisions/due';
import { ACTION_STATUSES } from '$lib/domain/decisions/types';
import { requireBoardRole } from '$lib/server/auth/guards';
import { getBoard } from '$lib/server/boards/boards';
import { listBoardActions } from '$lib/server/decisions/actions';
import { listDecisions, recordDecision } from '$lib/server/decisions/decisions';
import { readDecisionForm } from '$lib/server/decisions/form-input';
import { progressAction } from '$lib/server/decisions/progress-action';
import { boardParam } from '$lib/server/http/params';
import { formFailure } from '$lib/server/http/forms';
import { readBoardCards } from '$lib/server/votes/cards';
import { decisionSetup } from './shared.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const id = boardParam(event.params);
	const { user, role } = await requireBoardRole(event, id, 'read');
	const { app } = event.locals;
	const board = await getBoard(app.db, id);
	if (!board) error(404, 'Not Found');
	const decide = roleAllows(role, 'decide');
	return {
		board: { id, title: board.title },
		me: user.id,
		today: japanDate(event.locals.app.now()),
		can: {
			decide,
			audit: roleAllows(role, 'audit'),
			exportRecord: roleAllows(role, 'export_record')
		},
		statuses: ACTION_STATUSES,
		sectors: SECTORS,
		decisions: await listDecisions(app.db, id),
		actions: await listBoardActions(app.db, id),
		setup: decide ? await decisionSetup(app.db, id, await readBoardCards(app, id)) : null
	};
};

export const actions: Actions = {
	record: async (event) => {
		const id = boardParam(event.params);
		const { user } = await requireBoardRole(event, id, 'decide');
		const { app } = event.locals;
		const input = await readDecisionForm(app, id, await event.request.formData());
		if (!input.ok) return fail(400, input.failure);
		const r = await recordDecision(
			app.db,
			id,
			null,
			input.value,
			{ id: user.id, name: user.display_name },
			app.now()
		);
		if (!r.ok) return fail(400, formFailure({ _form: { key: `decision.error.${r.error}` } }));
		redirect(303, `/boards/${id}/decisions/${r.id}`);
	},

	progress: async (event) => progressAction(event, boardParam(event.params))
};
