import { writeVoteProgress } from '../../domain/votes/progress';
import { changeBoardDoc, type CollabApp } from '../collab';
import { countBallots, countEligible, getSession } from './sessions';

const KEY = Symbol.for('yoriai.voteProgress');
type Pending = Map<string, { again: boolean; done: Promise<void> }>;
type Holder = { [KEY]?: Pending };

/**
 * Writes a session's live progress (counts only) into the board document, so every open board
 * and vote page updates. Calls for the same session coalesce: while one write is in flight,
 * further calls just ask for one more round, so a burst of 1,000 ballots makes a handful of
 * document updates rather than 1,000. Resolves once a write that includes the caller's change
 * is durable. Never rejects — the ballot is already stored; a failed broadcast is logged.
 *
 * The coalescing state lives on the app (like the realtime server), not in a module: the
 * SvelteKit bundle and the Node entry are separate module graphs in one process.
 */
export function publishProgress(app: CollabApp, boardId: string, sessionId: number): Promise<void> {
	const pending = ((app as CollabApp & Holder)[KEY] ??= new Map());
	const key = `${boardId}:${sessionId}`;
	const running = pending.get(key);
	if (running) {
		running.again = true;
		return running.done;
	}
	const state = { again: false, done: Promise.resolve() };
	state.done = (async () => {
		try {
			do {
				state.again = false;
				await publishOnce(app, boardId, sessionId);
			} while (state.again);
		} catch (e) {
			console.error(`[votes] progress for board=${boardId} vote=${sessionId} not published`, e);
		} finally {
			pending.delete(key);
		}
	})();
	pending.set(key, state);
	return state.done;
}

async function publishOnce(app: CollabApp, boardId: string, sessionId: number): Promise<void> {
	const session = await getSession(app.db, boardId, sessionId);
	if (!session) return;
	const voted = await countBallots(app.db, sessionId);
	const eligible = await countEligible(app.db, boardId);
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
