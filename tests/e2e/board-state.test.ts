import type { Browser, Page } from '@playwright/test';
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { BOARD_STATE_TYPE } from '../../src/lib/collab/board-state';
import { readBoard } from '../../src/lib/domain/board/doc';
import { E2E } from './env';
import {
	cardOn,
	createUser,
	e2eDb,
	expect,
	makeBoard,
	open,
	signIn,
	storedBoardDoc,
	test,
	type TestUser
} from './fixtures';

/**
 * The board page's first sync over HTTP (src/lib/collab/board-state.ts): the whole document as
 * one compressed response that downloads beside the scripts, so that the socket then carries
 * only what changed since (the socket connects meanwhile; the state is normally applied before
 * it opens). The response must be as guarded as the socket it stands in for.
 */

/** Every card's title on the board's lanes, sorted. */
const titles = (doc: Y.Doc) =>
	readBoard(doc)
		.lanes.flatMap((l) => l.cards.map((c) => c.title))
		.sort();

/** The sizes of the document sync messages ([0, step, bytes]) a page received and sent. */
function syncSizes(page: Page): { received: number[]; sent: number[] } {
	const sizes = { received: [] as number[], sent: [] as number[] };
	const size = (payload: string | Buffer): number | null => {
		if (typeof payload === 'string') return null;
		const d = decoding.createDecoder(new Uint8Array(payload));
		if (decoding.readVarUint(d) !== 0) return null;
		decoding.readVarUint(d);
		return decoding.readVarUint8Array(d).length;
	};
	page.on('websocket', (ws) => {
		ws.on('framereceived', (f) => {
			const n = size(f.payload);
			if (n !== null) sizes.received.push(n);
		});
		ws.on('framesent', (f) => {
			const n = size(f.payload);
			if (n !== null) sizes.sent.push(n);
		});
	});
	return sizes;
}

/**
 * Opens a new board of the user's in a fresh signed-in page (`prepare` runs before it loads) and
 * waits until every card of the stored board is on it with the socket connected. Returns the
 * page, the socket's sync message sizes and the stored board.
 */
async function openLiveBoard(
	browser: Browser,
	user: TestUser,
	prepare: (page: Page, id: string) => Promise<void> = async () => {}
): Promise<{
	page: Page;
	id: string;
	sizes: { received: number[]; sent: number[] };
	stored: Y.Doc;
}> {
	const id = await makeBoard(user);
	const context = await browser.newContext();
	await signIn(context, user, E2E.baseURL);
	const page = await context.newPage();
	await prepare(page, id);
	const sizes = syncSizes(page);
	await open(page, `/boards/${id}`);
	await expect(page.getByRole('status').filter({ hasText: '接続済み' })).toBeVisible();
	await expect(page.locator('.lanes[data-live="true"]')).toBeAttached();
	// Every card (the outline would show only the first ones of each lane): the document is there.
	const stored = await storedBoardDoc(id);
	for (const title of titles(stored)) await expect(cardOn(page, title)).toBeVisible();
	return { page, id, sizes, stored };
}

test('AC-01 a board’s state over HTTP is for its members only, compressed and never cached', async ({
	browser,
	user
}) => {
	const db = e2eDb().db;
	const observer = await createUser(db);
	const outsider = await createUser(db);
	const id = await makeBoard(user, [[observer, 'observer']]);
	await makeBoard(outsider);
	const url = `/boards/${id}/state`;

	// An observer reads the board as the socket would give it: every card.
	const reader = await browser.newContext();
	await signIn(reader, observer, E2E.baseURL);
	const r = await reader.request.get(url, { headers: { 'Accept-Encoding': 'br, gzip' } });
	expect(r.status()).toBe(200);
	expect(r.headers()['content-type']).toBe(BOARD_STATE_TYPE);
	expect(r.headers()['cache-control']).toContain('no-store');
	expect(r.headers()['content-encoding']).toBe('br');
	const doc = new Y.Doc();
	Y.applyUpdate(doc, new Uint8Array(await r.body()));
	expect(titles(doc)).toHaveLength(8);
	expect(titles(doc)).toEqual(titles(await storedBoardDoc(id)));

	// A member of another board gets the same answer as for a board that does not exist.
	const other = await browser.newContext();
	await signIn(other, outsider, E2E.baseURL);
	const refused = await other.request.get(url, { maxRedirects: 0 });
	expect(refused.status()).toBe(404);
	expect(refused.headers()['content-type']).not.toBe(BOARD_STATE_TYPE);
	const unknown = await other.request.get('/boards/zzzzzzzzzzzz/state', { maxRedirects: 0 });
	expect(unknown.status()).toBe(404);

	// Signed out: sent to sign in, nothing of the board.
	const anonymous = await browser.newContext();
	const out = await anonymous.request.get(url, { maxRedirects: 0 });
	expect([303, 401]).toContain(out.status());
	expect(out.headers()['content-type'] ?? '').not.toBe(BOARD_STATE_TYPE);
	expect((await out.body()).length).toBeLessThan(1000);
	await Promise.all([reader.close(), other.close(), anonymous.close()]);
});

test('the board page fetches its state once, beside the scripts, and the socket brings only what changed', async ({
	browser,
	user
}) => {
	const stateRequests: string[] = [];
	const { page, sizes, stored } = await openLiveBoard(browser, user, async (page, id) => {
		page.on('request', (q) => {
			if (new URL(q.url()).pathname === `/boards/${id}/state`) stateRequests.push(q.url());
		});
	});
	// The preload and the client's fetch are one download.
	expect(stateRequests).toHaveLength(1);
	// The socket's sync carried a fraction of the board: the whole of it came over HTTP.
	const whole = Y.encodeStateAsUpdate(stored).length;
	expect(whole).toBeGreaterThan(2000);
	expect(sizes.received.length).toBeGreaterThan(0);
	expect(Math.max(...sizes.received)).toBeLessThan(whole / 4);
	// Nor is the state sent back up: the client applies it as the server's, not as an edit.
	expect(Math.max(0, ...sizes.sent)).toBeLessThan(whole / 4);
	await page.context().close();
});

test('when the state cannot be fetched, the socket’s own sync brings the board', async ({
	browser,
	user
}) => {
	const { page, sizes, stored } = await openLiveBoard(browser, user, async (page, id) => {
		await page.route(`**/boards/${id}/state`, (route) => route.abort('connectionfailed'));
	});
	// This time the whole board came by socket.
	expect(Math.max(...sizes.received)).toBeGreaterThan(Y.encodeStateAsUpdate(stored).length / 2);
	await page.context().close();
});
