/**
 * The board's whole document over HTTP, for the page's first sync. The board page preloads it
 * while its JavaScript downloads, and the client applies it before the socket connects; the
 * socket's sync then only carries what changed since (a few bytes instead of the whole board,
 * which for 250 cards is ~290 KB that WebSocket frames would carry uncompressed, after the
 * JavaScript, on a phone's slow link). Over HTTP it is brotli-compressed like the pages (about
 * a fifth), and it downloads in parallel with the scripts.
 */

/** The media type of the state: a Yjs update (v1) of the whole board, compressible. */
export const BOARD_STATE_TYPE = 'application/vnd.yoriai.yjs-update';

/** Where a board's state is served (src/routes/boards/[id]/state/+server.ts). */
export function boardStateUrl(boardId: string): string {
	return `/boards/${boardId}/state`;
}

/** A fetch that hangs must not keep the socket from connecting. */
const STATE_TIMEOUT_MS = 10_000;

/**
 * The board's state, or null when it cannot be had (signed out, removed, offline, timed out, not
 * the expected answer): the socket's own sync then brings the board as it always did. The
 * credentials mode matches the page's `<link rel="preload" crossorigin="use-credentials">`, so
 * the browser hands over the preloaded response instead of downloading it again.
 */
export async function fetchBoardState(boardId: string): Promise<Uint8Array | null> {
	try {
		const r = await fetch(boardStateUrl(boardId), {
			credentials: 'include',
			signal: AbortSignal.timeout(STATE_TIMEOUT_MS)
		});
		if (!r.ok || r.headers.get('content-type') !== BOARD_STATE_TYPE) return null;
		return new Uint8Array(await r.arrayBuffer());
	} catch {
		return null;
	}
}

/**
 * A WebSocket class whose `open` reaches its `onopen` handler only once `gate` has settled. The
 * board's socket connects while its state is still being fetched (the handshake's two round
 * trips then overlap the fetch), but y-websocket sends the document's state vector from its
 * `onopen`: held until the state is applied, the vector is the full one, and the server answers
 * with only what changed since instead of the whole board. Messages the server sends first are
 * handled meanwhile (they need no state).
 */
export function openingAfter(Base: typeof WebSocket, gate: Promise<unknown>): typeof WebSocket {
	return class GatedWebSocket extends Base {
		override get onopen(): ((this: WebSocket, ev: Event) => unknown) | null {
			return super.onopen;
		}
		override set onopen(handler: ((this: WebSocket, ev: Event) => unknown) | null) {
			super.onopen = handler && ((ev: Event) => void gate.finally(() => handler.call(this, ev)));
		}
	};
}
