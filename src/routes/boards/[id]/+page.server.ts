import { error } from '@sveltejs/kit';
import { isBoardId } from '$lib/domain/board/id';
import { roleAllows } from '$lib/domain/board/roles';
import { requireBoardRole } from '$lib/server/auth/guards';
import { getBoard } from '$lib/server/boards/boards';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	if (!isBoardId(event.params.id)) error(404, 'Not Found');
	const { user, role } = await requireBoardRole(event, event.params.id, 'read');
	const board = await getBoard(event.locals.app.db, event.params.id);
	if (!board) error(404, 'Not Found');
	return {
		board: {
			id: board.id,
			title: board.title,
			purpose: board.purpose,
			workshopDate: board.workshop_date
		},
		role,
		can: {
			edit: roleAllows(role, 'edit'),
			facilitate: roleAllows(role, 'facilitate'),
			manageMembers: roleAllows(role, 'manage_members')
		},
		me: { id: user.id, name: user.display_name, sector: user.sector }
	};
};
