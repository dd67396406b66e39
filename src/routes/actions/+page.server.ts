import { error, fail } from '@sveltejs/kit';
import { parseStrictInt } from '$lib/domain/numbers';
import { japanDate } from '$lib/domain/decisions/due';
import { ACTION_STATUSES } from '$lib/domain/decisions/types';
import { requireUser } from '$lib/server/auth/guards';
import { listOwnedActions } from '$lib/server/decisions/actions';
import { progressAction } from '$lib/server/decisions/progress-action';
import { formFailure } from '$lib/server/http/forms';
import type { Actions, PageServerLoad } from './$types';

/** The actions the signed-in user owns, across every board they are still on. */
export const load: PageServerLoad = async (event) => {
	const { user } = requireUser(event);
	return {
		me: user.id,
		today: japanDate(event.locals.app.now()),
		statuses: ACTION_STATUSES,
		actions: await listOwnedActions(event.locals.app.db, user.id)
	};
};

export const actions: Actions = {
	/**
	 * The same status form as on a board's decision pages. The action's board is looked up from
	 * its id, and the board guard runs for that board before anything changes.
	 */
	progress: async (event) => {
		requireUser(event);
		// Read from a copy: progressAction reads (and fully validates) the form itself.
		const field = (await event.request.clone().formData()).get('action');
		const actionId = typeof field === 'string' ? parseStrictInt(field, 1, 9_999_999) : null;
		if (actionId === null) return fail(400, formFailure({ _form: { key: 'error.generic' } }));
		const row = await event.locals.app.db
			.selectFrom('actions')
			.select('board_id')
			.where('id', '=', actionId)
			.executeTakeFirst();
		if (!row) error(404, 'Not Found');
		return progressAction(event, row.board_id);
	}
};
