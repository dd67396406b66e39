import { writeVoteProgress } from '../../domain/votes/progress';
import { changeBoardDoc, type CollabApp } from '../collab';
import { countBallots, countEligible, getSession } from './sessions';
import { logger } from '../log/logger';

const KEY = Symbol.for('yoriai.voteProgress');
/** Per session: the write in flight, and the one queued behind it that later callers share. */
type Slot = { running: Promise<void> | null; queued: Promise<void> | null };
type Holder = { [KEY]?: Map<string, Slot> };

/**
 * Writes a session's live progress (counts only) into the board document, so every open board
 * and vote page updates. Calls for the same session coalesce: while one write is in flight, all
 * further calls share a single write queued behind it — a burst of 1,000 ballots makes a
 * handful of document updates rather than 1,000 — and each caller resolves once a write that
 * started after its call (so counts its ballot) is durable. Never rejects: the ballot is already
 * stored; a failed broadcast is logged.
 *
 * The state lives on the app (like the realtime server), not in a module: the SvelteKit bundle
 * and the Node entry are separate module graphs in one process.
 */
export function publishProgress(app: CollabApp, boardId: string, sessionId: number): Promise<void> {
	const slots = ((app as CollabApp & Holder)[KEY] ??= new Map());
	const key = `${boardId}:${sessionId}`;
	let slot = slots.get(key);
	if (!slot) {
		slot = { running: null, queued: null };
		slots.set(key, slot);
	}
	if (slot.queued) return slot.queued;
	const s = slot;
	const start = (): Promise<void> => {
		const round = publishOnce(app, boardId, sessionId)
			.catch((e: unknown) =>
				logger.error({ err: e, board: boardId, vote: sessionId }, 'votes: progress not published')
			)
			.finally(() => {
				s.running = null;
				if (!s.queued) slots.delete(key);
			});
		s.running = round;
		return round;
	};
	if (!s.running) return start();
	s.queued = s.running.then(() => {
		s.queued = null;
		return start();
	});
	return s.queued;
}

async function publishOnce(app: CollabApp, boardId: string, sessionId: number): Promise<void> {
	const session = await getSession(app.db, boardId, sessionId);
	if (!session) return;
	const voted = await countBallots(app.db, sessionId);
	const eligible = await countEligible(app.db, session);
	await changeBoardDoc(
		app,
		boardId,
		(doc) =>
			writeVoteProgress(doc, {
				sessionId,
				title: session.title,
				method: session.settings.method,
				status: session.status,
				revealed: session.revealedAt !== null,
				voted,
				eligible,
				deadline: session.deadline
			}),
		'votes'
	);
}
