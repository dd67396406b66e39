import type { IncomingMessage, ServerResponse } from 'node:http';
import { handleApply } from '../collab/internal-apply';
import type { Duplex } from 'node:stream';
import type { App } from '../app';
import { COLLAB_PREFIX, startCollab } from '../collab/index';

/**
 * The HTTP server's `upgrade` event. WebSocket upgrades never pass through SvelteKit, so every
 * check happens in the realtime server (`/collab/<boardId>`); any other upgrade is dropped.
 */
export function handleUpgrade(app: App, req: IncomingMessage, socket: Duplex, head: Buffer): void {
	// A socket error (a client resetting mid-handshake) must never reach the process.
	socket.on('error', () => socket.destroy());
	if (req.url?.startsWith(COLLAB_PREFIX)) {
		startCollab(app).handleUpgrade(req, socket, head);
		return;
	}
	socket.destroy();
}

/**
 * WS-14: a plain HTTP request for the realtime path gets 400, not SvelteKit's 404 page. Returns
 * true when it answered.
 */
export function refusePlainCollabRequest(req: IncomingMessage, res: ServerResponse): boolean {
	if (!req.url?.startsWith(COLLAB_PREFIX)) return false;
	res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' });
	res.end('WebSocket upgrade required\n');
	return true;
}

/**
 * `/internal/collab/…`: another Yoriai process asks this one, the board's owner, to apply a
 * change to the board's document (collab/internal-apply.ts; signed with YORIAI_INTERNAL_SECRET,
 * 403 otherwise, 404 when this process runs alone). Returns true when it answered.
 */
export function handleInternalApply(app: App, req: IncomingMessage, res: ServerResponse): boolean {
	return handleApply(req, res, app.config.internal?.secret ?? null, app.now(), (board, u, origin) =>
		startCollab(app).applyFromPeer(board, u, origin)
	);
}
