import { error, type RequestEvent } from '@sveltejs/kit';
import type { SessionUser } from '../auth/sessions';
import { mayCreateBoards } from '../admin/settings';
import { requireUser } from '../auth/guards';
import { mayCurate } from './drafts';

/** Issue 17: who may create boards (facilitators) and administrators may import reports. */
export async function requireImporter(
	event: Pick<RequestEvent, 'locals' | 'url'>
): Promise<SessionUser> {
	const { user } = requireUser(event);
	if (!(await mayCreateBoards(event.locals.app.db, user))) error(403, 'import.forbidden');
	return user;
}

/** A draft is seen only by its curators (and administrators); to anyone else it does not exist. */
export async function requireCurator(
	event: Pick<RequestEvent, 'locals' | 'url'>,
	id: string
): Promise<SessionUser> {
	const user = await requireImporter(event);
	if (!(await mayCurate(event.locals.app.db, id, user))) error(404, 'error.not_found');
	return user;
}
