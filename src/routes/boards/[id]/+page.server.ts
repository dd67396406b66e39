/**
 * The board page. `data.initial` is the board's outline (src/lib/domain/board/outline.ts), not
 * the full document: lanes and cards with titles, kinds, lanes, groups, authors and counts, but
 * every card's `note` and its sources' `quote`, `reportTitle` and `sectionLabel` are empty
 * strings (source ids stay). It paints the board before the socket syncs and is the page without
 * JavaScript; the full cards come with the shared document. It is read from the live document
 * and shared (frozen) between concurrent loads of the same board version: never change it.
 */
import { error } from '@sveltejs/kit';
import { isBoardId } from '$lib/domain/board/id';
import { roleAllows } from '$lib/domain/board/roles';
import { requireBoardRole } from '$lib/server/auth/guards';
import { getBoard } from '$lib/server/boards/boards';
import { boardOutline } from '$lib/server/boards/board-outline';
import { getFacilitation, listOwnDrafts } from '$lib/server/boards/facilitation';
import { seriesLinks } from '$lib/server/boards/follow-up';
import { visitWithCockpit } from '$lib/server/boards/cockpit';
import { listMembers } from '$lib/server/boards/members';
import { revealedVoteFigures } from '$lib/server/votes/card-figures';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	event.depends('board:dashboard');
	if (!isBoardId(event.params.id)) error(404, 'Not Found');
	const who = await requireBoardRole(event, event.params.id, 'read');
	const { user, role } = who;
	const board = await getBoard(event.locals.app.db, event.params.id);
	if (!board) error(404, 'Not Found');
	const { db } = event.locals.app;
	const archived = board.archived_at !== null;
	return {
		initial: await boardOutline(event.locals.app, board.id),
		facilitation: await getFacilitation(db, board.id),
		series: await seriesLinks(event.locals.app, board.id, user.id),
		// Facilitators only: the cockpit (who is where, drafts per person, open votes), which then
		// refreshes itself.
		cockpit: await visitWithCockpit(event, board.id, who, 'board'),
		serverNow: event.locals.app.now(),
		// Each card's figure in the latest revealed vote (nothing before a reveal, for anyone).
		votes: await revealedVoteFigures(event.locals.app, board.id),
		// Members' sectors, for filtering cards by who wrote them.
		sectors: Object.fromEntries(
			(await listMembers(db, board.id)).map((m) => [m.userId, m.sector])
		) as Record<number, string>,
		drafts: roleAllows(role, 'edit') ? await listOwnDrafts(db, board.id, user.id) : [],
		board: {
			id: board.id,
			title: board.title,
			purpose: board.purpose,
			workshopDate: board.workshop_date,
			archived
		},
		role,
		// An archived board offers nobody anything to change (the server refuses it anyway).
		can: {
			edit: roleAllows(role, 'edit') && !archived,
			facilitate: roleAllows(role, 'facilitate') && !archived,
			manageMembers: roleAllows(role, 'manage_members') && !archived
		},
		me: { id: user.id, name: user.display_name, sector: user.sector }
	};
};
