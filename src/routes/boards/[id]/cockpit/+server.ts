import { error, json } from '@sveltejs/kit';
import { roleAllows } from '$lib/domain/board/roles';
import { requireBoardRole } from '$lib/server/auth/guards';
import { cockpitData, visit } from '$lib/server/boards/cockpit';
import { isPresencePlace } from '$lib/domain/board/presence';
import { boardParam } from '$lib/server/http/params';
import type { RequestHandler } from './$types';

/**
 * An open page of the board says it is still open (`?place=`), so the facilitator's cockpit
 * counts the person as here; facilitators get the cockpit back. It records presence only —
 * in memory, nothing in the database — so a GET is the right verb, and it is never cached.
 */
export const GET: RequestHandler = async (event) => {
	const id = boardParam(event.params);
	const who = await requireBoardRole(event, id, 'read');
	const place = event.url.searchParams.get('place');
	if (!isPresencePlace(place)) error(400, 'Bad Request');
	visit(event, id, who, place);
	event.setHeaders({ 'Cache-Control': 'no-store' });
	if (!roleAllows(who.role, 'facilitate')) return new Response(null, { status: 204 });
	return json(await cockpitData(event.locals.app, id));
};
