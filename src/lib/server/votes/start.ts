import type { Actor } from '../../domain/decisions/types';
import type { App } from '../app';
import { getFacilitation, updateFacilitation } from '../boards/facilitation';
import { publishProgress } from './progress';
import { openSession, type NewSession, type OpenResult } from './sessions';

/**
 * Opens a vote the way the facilitator's form does: the session (and its audit entry), then the
 * board moves to the vote phase if it is not there yet — ballots are accepted only in that phase
 * (AC-06), and in it participants can no longer reword or move cards, so every ballot is cast on
 * what stays on the board — then the live progress appears on every open board.
 */
export async function startVote(
	app: App,
	boardId: string,
	session: NewSession,
	by: Actor,
	now: number
): Promise<OpenResult> {
	const r = await openSession(app.db, boardId, session, by, now);
	if (!r.ok) return r;
	if ((await getFacilitation(app.db, boardId)).phase !== 'vote')
		await updateFacilitation(app, boardId, (f) => ({ ...f, phase: 'vote' }));
	await publishProgress(app, boardId, r.id);
	return r;
}
