import type * as Y from 'yjs';
import { CollabServer, type CollabApp, type CollabOptions } from './server';

export { storeInitialState, BoardNeedsRepair } from './store';
export { parseCollabPath, COLLAB_PREFIX } from './upgrade-auth';
export { DEFAULT_LIMITS, type CollabLimits } from './limits';
export type { CollabServer, CollabApp, CollabOptions };

/**
 * The realtime server belongs to the app object, not to a module: the SvelteKit bundle (which
 * calls readBoardDoc/changeBoardDoc) and the Node entry (which routes upgrades) are separate
 * module graphs in one process, and the app on globalThis is what they share.
 */
const KEY = Symbol.for('yoriai.collab');
type Holder = { [KEY]?: CollabServer };

/** Starts the realtime server for `app` (once; later calls return the same one). */
export function startCollab(app: CollabApp, options: CollabOptions = {}): CollabServer {
	const holder = app as CollabApp & Holder;
	holder[KEY] ??= new CollabServer(app, options);
	return holder[KEY];
}

/** The running realtime server, if one was started (read-only probes: metrics, admin overview). */
export function peekCollab(app: CollabApp): CollabServer | undefined {
	return (app as CollabApp & Holder)[KEY];
}

/** Commits everything, closes every realtime socket with 1012 and unloads all boards. */
export async function closeCollab(app: CollabApp): Promise<void> {
	const holder = app as CollabApp & Holder;
	const server = holder[KEY];
	if (!server) return;
	await server.close();
	delete holder[KEY];
}

/**
 * A read-only copy of a board's current document — the live one's committed state if the board
 * is loaded, else loaded from SQLite. For exports and vote set-up; throws BoardNeedsRepair for a
 * board whose stored document is damaged. Like changeBoardDoc, never await it inside a database
 * transaction (loading and committing need the connection).
 */
export function readBoardDoc(app: CollabApp, boardId: string): Promise<Y.Doc> {
	return startCollab(app).readDoc(boardId);
}

/**
 * Derives something from a board's current document without copying it (the board page's first
 * paint under a room's rush): see CollabServer.readInPlace. `read` must not change the document.
 */
export function readBoardInPlace<T>(
	app: CollabApp,
	boardId: string,
	read: (doc: Y.Doc, version: number) => T
): Promise<T> {
	return startCollab(app).readInPlace(boardId, read);
}

/**
 * Changes a board's document on the server (facilitation state and the like) through the same
 * persist-then-broadcast path as client edits; resolves once the change is durable. `change`
 * runs inside one Yjs transaction with `origin`. Never await this inside a database transaction.
 */
export function changeBoardDoc(
	app: CollabApp,
	boardId: string,
	change: (doc: Y.Doc) => void,
	origin: string
): Promise<void> {
	return startCollab(app).changeDoc(boardId, change, origin);
}

/** Applies a board's archived state to the realtime server (see CollabServer.setArchived). */
export function setBoardArchived(
	app: CollabApp,
	boardId: string,
	archived: boolean
): Promise<void> {
	return startCollab(app).setArchived(boardId, archived);
}

/** Closes a deleted board's sockets (4404) and unloads it without writing anything more. */
export function dropBoard(app: CollabApp, boardId: string): Promise<void> {
	return startCollab(app).dropBoard(boardId);
}
