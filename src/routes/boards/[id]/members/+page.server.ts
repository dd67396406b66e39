import { error, fail } from '@sveltejs/kit';
import { isBoardId } from '$lib/domain/board/id';
import { addMemberForm, changeMemberForm } from '$lib/domain/board/forms';
import { BOARD_ROLES } from '$lib/domain/board/roles';
import { requireBoardRole } from '$lib/server/auth/guards';
import { getBoard } from '$lib/server/boards/boards';
import { addBoardMember, changeBoardMember } from '$lib/server/boards/member-changes';
import { listMembers } from '$lib/server/boards/members';
import { formFailure, readForm } from '$lib/server/http/forms';
import type { Actions, PageServerLoad } from './$types';

function boardIdOf(params: { id: string }): string {
	if (!isBoardId(params.id)) error(404, 'Not Found');
	return params.id;
}

export const load: PageServerLoad = async (event) => {
	const id = boardIdOf(event.params);
	const { role } = await requireBoardRole(event, id, 'read');
	const { db } = event.locals.app;
	const board = await getBoard(db, id);
	if (!board) error(404, 'Not Found');
	return {
		board: { id, title: board.title },
		role,
		roles: BOARD_ROLES,
		members: await listMembers(db, id)
	};
};

export const actions: Actions = {
	add: async (event) => {
		const id = boardIdOf(event.params);
		const { user } = await requireBoardRole(event, id, 'manage_members');
		const form = readForm(await event.request.formData(), addMemberForm);
		if (!form.ok) return fail(400, formFailure(form.errors, form.values));
		const { app } = event.locals;
		const actor = { id: user.id, name: user.display_name };
		const r = await addBoardMember(app, id, actor, form.data);
		if (!r.ok)
			return fail(
				400,
				formFailure({ username: { key: `error.${r.error}` } }, { username: form.data.username })
			);
		return { done: 'added' as const };
	},

	/** Role change or removal. Facilitators cannot raise themselves: they already hold the top role. */
	change: async (event) => {
		const id = boardIdOf(event.params);
		const { user } = await requireBoardRole(event, id, 'manage_members');
		const form = readForm(await event.request.formData(), changeMemberForm);
		if (!form.ok) return fail(400, formFailure(form.errors));
		const { app } = event.locals;
		const role = form.data.role === 'remove' ? null : form.data.role;
		// Open sockets follow at once: demoted users become read-only, removed ones are closed.
		const actor = { id: user.id, name: user.display_name };
		const r = await changeBoardMember(app, id, actor, form.data.user, role);
		if (!r.ok) return fail(400, formFailure({ _form: { key: `error.${r.error}` } }));
		return { done: role === null ? ('removed' as const) : ('changed' as const) };
	}
};
