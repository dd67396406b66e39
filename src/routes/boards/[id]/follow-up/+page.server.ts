import { error, fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { isBoardId } from '$lib/domain/board/id';
import { newBoardFields } from '$lib/domain/board/template';
import { requireBoardRole } from '$lib/server/auth/guards';
import { createFollowUp } from '$lib/server/boards/follow-up';
import { mayCreateBoards } from '$lib/server/admin/settings';
import { formFailure, readForm } from '$lib/server/http/forms';
import type { Actions, PageServerLoad } from './$types';

const followUpForm = newBoardFields
	.omit({ purpose: true })
	.extend({ purpose: z.string().max(0).optional() });

export const load: PageServerLoad = ({ params }) => redirect(303, `/boards/${params.id}`);

/** Facilitators start the next workshop of the series from this board. */
export const actions: Actions = {
	create: async (event) => {
		if (!isBoardId(event.params.id)) error(404, 'Not Found');
		const { user } = await requireBoardRole(event, event.params.id, 'facilitate', {
			// A follow-up reads this board and writes only the new one.
			archivedToo: true
		});
		// A follow-up is a new board: the instance's board-creation policy applies.
		if (!(await mayCreateBoards(event.locals.app.db, user)))
			error(403, 'admin.error.board_creation');
		const form = readForm(await event.request.formData(), followUpForm);
		if (!form.ok) return fail(400, formFailure(form.errors, form.values));
		const id = await createFollowUp(event.locals.app, event.params.id, {
			title: form.data.title,
			workshopDate: form.data.workshop_date,
			author: { id: user.id, name: user.display_name }
		});
		redirect(303, `/boards/${id}`);
	}
};
