import { error } from '@sveltejs/kit';
import { roleAllows } from '$lib/domain/board/roles';
import { requireBoardRole } from '$lib/server/auth/guards';
import { gatherBundle } from '$lib/server/exports/gather';
import { boardParam } from '$lib/server/http/params';
import { listSessions } from '$lib/server/votes/sessions';
import type { PageServerLoad } from './$types';

/**
 * The print-ready record (a clean A4 PDF from the browser's print dialog) and the list of
 * downloads this member may take. Observers get the action list (the README's export policy);
 * members who took part get the whole workshop, as in the minutes: participants by sector,
 * the board by lane with every card and its comments, revealed votes, decisions with rationale
 * and dissent, and the actions.
 */
export const load: PageServerLoad = async (event) => {
	const id = boardParam(event.params);
	const { role } = await requireBoardRole(event, id, 'export');
	const { app } = event.locals;
	const record = roleAllows(role, 'export_record');
	const bundle = await gatherBundle(
		app,
		id,
		{ record, votes: record, cards: record, comments: record },
		app.now()
	);
	if (!bundle) error(404, 'Not Found');
	const revealed = (await listSessions(app.db, id)).filter((s) => s.revealedAt !== null);
	return {
		bundle,
		can: { record, audit: roleAllows(role, 'audit') },
		results: revealed.map((s) => ({ id: s.id, title: s.title }))
	};
};
