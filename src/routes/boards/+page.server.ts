import { requireUser } from '$lib/server/auth/guards';
import { listBoardsFor } from '$lib/server/boards/boards';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { user } = requireUser(event);
	return { boards: await listBoardsFor(event.locals.app.db, user.id) };
};
