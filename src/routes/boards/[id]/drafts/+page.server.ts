import { error, fail, redirect } from '@sveltejs/kit';
import { draftsOpen } from '$lib/domain/board/facilitation';
import { deleteDraftForm, draftForm } from '$lib/domain/board/facilitation-forms';
import { isBoardId } from '$lib/domain/board/id';
import { requireBoardRole } from '$lib/server/auth/guards';
import { addDraft, deleteDraft, getFacilitation } from '$lib/server/boards/facilitation';
import { formFailure, readForm } from '$lib/server/http/forms';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

/** Private drafts: a participant's own cards-to-be, kept out of the shared board until revealed. */
export const load: PageServerLoad = ({ params }) => redirect(303, `/boards/${params.id}`);

async function guard(event: RequestEvent) {
	if (!isBoardId(event.params.id)) error(404, 'Not Found');
	const { user } = await requireBoardRole(event, event.params.id, 'edit');
	return { id: event.params.id, user };
}

export const actions: Actions = {
	add: async (event) => {
		const { id, user } = await guard(event);
		const { app } = event.locals;
		const form = readForm(await event.request.formData(), draftForm);
		if (!form.ok) return fail(400, formFailure(form.errors, form.values));
		// The phase is checked on the server, not only by hiding the form.
		if (!draftsOpen(await getFacilitation(app.db, id)))
			return fail(409, formFailure({ _form: { key: 'error.phase' } }, form.data));
		const r = await addDraft(app.db, {
			boardId: id,
			userId: user.id,
			...form.data,
			now: app.now()
		});
		if (r === 'limit') return fail(400, formFailure({ _form: { key: 'error.limit' } }, form.data));
		return { added: true };
	},
	delete: async (event) => {
		const { id, user } = await guard(event);
		const form = readForm(await event.request.formData(), deleteDraftForm);
		if (!form.ok) return fail(400, formFailure(form.errors));
		await deleteDraft(event.locals.app.db, id, user.id, form.data.draft);
		return { deleted: true };
	}
};
