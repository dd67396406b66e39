import { mayCreateBoards } from '$lib/server/admin/settings';
import { requireUser } from '$lib/server/auth/guards';
import { listBoardsFor } from '$lib/server/boards/boards';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { user } = requireUser(event);
	const { db } = event.locals.app;
	return {
		boards: await listBoardsFor(db, user.id),
		// The instance's board-creation policy: no "new board" button for someone it refuses.
		mayCreate: await mayCreateBoards(db, user)
	};
};
