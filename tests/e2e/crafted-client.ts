import { WebsocketProvider } from 'y-websocket';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { createSession } from '../../src/lib/server/auth/sessions';
import { E2E } from './env';
import { e2eDb, SESSION_COOKIE, type TestUser } from './fixtures';

/**
 * A realtime client outside any browser — the stock y-websocket provider in Node, with a real
 * session cookie — to act as a crafted client that ignores what the UI hides.
 */
export async function craftedClient(user: TestUser, boardId: string) {
	const { token } = await createSession(e2eDb().db, user.id, Date.now(), 'crafted');
	class CookieWebSocket extends WebSocket {
		constructor(url: string | URL, protocols?: string | string[]) {
			super(url, protocols, {
				headers: { Cookie: `${SESSION_COOKIE}=${token}`, Origin: E2E.baseURL }
			});
		}
	}
	const doc = new Y.Doc();
	const provider = new WebsocketProvider(`ws://localhost:${E2E.port}/collab`, boardId, doc, {
		WebSocketPolyfill: CookieWebSocket as unknown as typeof globalThis.WebSocket,
		disableBc: true
	});
	await new Promise<void>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error('crafted client did not sync')), 10_000);
		provider.once('sync', () => {
			clearTimeout(timer);
			resolve();
		});
	});
	return {
		doc,
		destroy: () => {
			provider.destroy();
			doc.destroy();
		}
	};
}
