import { error, fail } from '@sveltejs/kit';
import { isBoardId } from '$lib/domain/board/id';
import { addMemberForm, changeMemberForm } from '$lib/domain/board/forms';
import { BOARD_ROLES } from '$lib/domain/board/roles';
import { requireBoardRole } from '$lib/server/auth/guards';
import { getBoard } from '$lib/server/boards/boards';
import { publishProgress } from '$lib/server/votes/progress';
import { recordAudit } from '$lib/server/boards/audit-log';
import { addMember, changeMember, listMembers } from '$lib/server/boards/members';
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
		const r = await addMember(app.db, id, { ...form.data, by: user.id, now: app.now() });
		if (!r.ok)
			return fail(
				400,
				formFailure({ username: { key: `error.${r.error}` } }, { username: form.data.username })
			);
		app.events.emit('membership-changed', { boardId: id, userId: r.userId, role: r.role });
		await recordAudit(app.db, {
			boardId: id,
			actor: { id: user.id, name: user.display_name },
			kind: 'member_added',
			subject: `user:${r.userId}`,
			detail: { role: r.role },
			at: app.now()
		});
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
		const r = await changeMember(app.db, id, form.data.user, role, app.now());
		if (!r.ok) return fail(400, formFailure({ _form: { key: `error.${r.error}` } }));
		// Open sockets follow at once: demoted users become read-only, removed ones are closed.
		app.events.emit('membership-changed', { boardId: id, userId: r.userId, role: r.role });
		const withdrawn = r.withdrawnFrom ?? [];
		for (const session of withdrawn) void publishProgress(app, id, session);
		await recordAudit(app.db, {
			boardId: id,
			actor: { id: user.id, name: user.display_name },
			kind: role === null ? 'member_removed' : 'member_role_changed',
			subject: `user:${r.userId}`,
			detail: {
				...(role === null ? {} : { role }),
				...(withdrawn.length > 0 ? { ballotsWithdrawn: withdrawn.length } : {})
			},
			at: app.now()
		});
		return { done: role === null ? ('removed' as const) : ('changed' as const) };
	}
};
