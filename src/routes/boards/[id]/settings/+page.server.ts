import { error, fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { confirmsTitle } from '$lib/domain/board/deletable';
import { isBoardId } from '$lib/domain/board/id';
import { requireBoardRole } from '$lib/server/auth/guards';
import { getBoard } from '$lib/server/boards/boards';
import { boardDeletionBlockers, deleteBoard, setArchived } from '$lib/server/boards/lifecycle';
import { formFailure, readForm } from '$lib/server/http/forms';
import type { Actions, PageServerLoad } from './$types';

const deleteForm = z.strictObject({ confirm: z.string().max(500, { error: 'error.too_long' }) });
const emptyForm = z.strictObject({});

function boardIdOf(params: { id: string }): string {
	if (!isBoardId(params.id)) error(404, 'Not Found');
	return params.id;
}

/**
 * The board's settings: archive and restore, delete. Facilitators only; reachable on an archived
 * board (restoring is what it is for).
 */
export const load: PageServerLoad = async (event) => {
	const id = boardIdOf(event.params);
	await requireBoardRole(event, id, 'facilitate', { archivedToo: true });
	const { app } = event.locals;
	const board = await getBoard(app.db, id);
	if (!board) error(404, 'Not Found');
	return {
		board: { id, title: board.title, archivedAt: board.archived_at },
		blockers: await boardDeletionBlockers(app, id)
	};
};

async function toggle(event: Parameters<Actions[string]>[0], archived: boolean) {
	const id = boardIdOf(event.params);
	const { user } = await requireBoardRole(event, id, 'facilitate', { archivedToo: true });
	const form = readForm(await event.request.formData(), emptyForm);
	if (!form.ok) return fail(400, formFailure(form.errors));
	await setArchived(event.locals.app, id, archived, { id: user.id, name: user.display_name });
	// Already in that state (a second tab, a double click): nothing changed, nothing to say.
	return { done: archived ? ('archived' as const) : ('restored' as const) };
}

export const actions: Actions = {
	archive: (event) => toggle(event, true),
	restore: (event) => toggle(event, false),

	delete: async (event) => {
		const id = boardIdOf(event.params);
		const { user } = await requireBoardRole(event, id, 'facilitate', { archivedToo: true });
		const form = readForm(await event.request.formData(), deleteForm);
		if (!form.ok) return fail(400, formFailure(form.errors, form.values));
		const { app } = event.locals;
		const board = await getBoard(app.db, id);
		if (!board) error(404, 'Not Found');
		if (!confirmsTitle(form.data.confirm, board.title))
			return fail(
				400,
				formFailure(
					{ confirm: { key: 'board.settings.delete.mismatch' } },
					{ confirm: form.data.confirm }
				)
			);
		const r = await deleteBoard(app, id, { id: user.id, name: user.display_name });
		if (!r.ok) return fail(409, formFailure({ _form: { key: 'board.settings.delete.blocked' } }));
		redirect(303, '/boards?deleted=1');
	}
};
