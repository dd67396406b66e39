import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { isBoardId, generateBoardId } from '../../src/lib/domain/board/id';
import { parseCollabPath } from '../../src/lib/server/collab/upgrade-auth';
import {
	connect,
	headersFor,
	rawConnect,
	startTestServer,
	synced,
	waitFor,
	type Member,
	type TestServer,
	upgradeStatus
} from '../helpers/collab';

let s: TestServer;
let alice: Member;
let outsider: Member;
let board: string;

beforeAll(async () => {
	s = await startTestServer();
	alice = await s.member();
	outsider = await s.member();
	board = await s.board([[alice, 'participant']]);
	await s.board([[outsider, 'facilitator']]);
});
afterAll(() => s.close());

const status = (path: string, headers: Record<string, string>) =>
	upgradeStatus(s.port, path, headers);

describe('board ids', () => {
	test('generated ids match the one pattern and differ', () => {
		const ids = new Set(Array.from({ length: 1000 }, generateBoardId));
		expect(ids.size).toBe(1000);
		for (const id of ids) expect(isBoardId(id)).toBe(true);
		expect(isBoardId('ABCDEFGHIJKL')).toBe(false);
		expect(isBoardId('abcdefghijk1')).toBe(false);
	});

	test('WS-04 the document name comes only from a validated id in the fixed route', () => {
		const id = generateBoardId();
		expect(parseCollabPath(`/collab/${id}`)).toEqual({ boardId: id, wantsSaved: false });
		expect(parseCollabPath(`/collab/${id}?saved=1`)).toEqual({ boardId: id, wantsSaved: true });
		for (const bad of [
			`/collab/../${id}`,
			`/collab/%2e%2e/${id}`,
			`/collab/${id}/x`,
			`/collab/${id}?x`,
			`/collab/${id}?saved=1&x=2`,
			`/collab/${id}x`,
			`/collab/${id.toUpperCase()}`,
			`/collab//${id}`,
			'/collab/',
			`/collab${id}`
		])
			expect(parseCollabPath(bad), bad).toBeNull();
	});
});

describe('upgrade refusals answer HTTP before any handshake', () => {
	test('WS-01 no cookie, an unknown token, an expired or revoked session → 401', async () => {
		const path = `/collab/${board}`;
		expect(await status(path, headersFor(s, null))).toBe(401);
		expect(await status(path, headersFor(s, 'notavalidtokenatall2345'))).toBe(401);
		const revoked = await s.member();
		await s.db.deleteFrom('sessions').where('id', '=', revoked.sessionId).execute();
		expect(await status(path, headersFor(s, revoked.token))).toBe(401);
		const expired = await s.member();
		await s.db
			.updateTable('sessions')
			.set({ expires_at: Date.now() - 1 })
			.where('id', '=', expired.sessionId)
			.execute();
		expect(await status(path, headersFor(s, expired.token))).toBe(401);
		// A token in the URL is never read (SESS-10).
		expect(await status(`${path}?token=${alice.token}`, headersFor(s, null))).toBe(400);
		expect(await status(path, headersFor(s, alice.token))).toBe(101);
	});

	test('WS-02 a foreign, missing or null Origin → 403 even with a valid cookie', async () => {
		const path = `/collab/${board}`;
		expect(await status(path, headersFor(s, alice.token, 'https://evil.example'))).toBe(403);
		expect(await status(path, headersFor(s, alice.token, 'null'))).toBe(403);
		expect(await status(path, headersFor(s, alice.token, `http://127.0.0.1:${s.port}`))).toBe(403);
		expect(await status(path, { Cookie: `__Host-yoriai_session=${alice.token}` })).toBe(403);
	});

	test('WS-04 non-members and unknown boards get the same 403', async () => {
		expect(await status(`/collab/${board}`, headersFor(s, outsider.token))).toBe(403);
		expect(await status(`/collab/${generateBoardId()}`, headersFor(s, alice.token))).toBe(403);
	});

	test('WS-14 malformed paths → 400; a plain GET on the realtime path → 400', async () => {
		for (const path of [
			`/collab/../${board}`,
			`/collab/%2e%2e/${board}`,
			`/collab/${board}/junk`,
			`/collab/${board}?x`,
			'/collab/NOTANID'
		])
			expect(await status(path, headersFor(s, alice.token)), path).toBe(400);
		const plain = await new Promise<number>((resolve) =>
			request({ port: s.port, path: `/collab/${board}` }, (res) => {
				res.resume();
				resolve(res.statusCode ?? 0);
			}).end()
		);
		expect(plain).toBe(400);
	});

	test('WS-15 refusals are logged with address and origin, never the token', async () => {
		await status(`/collab/${board}`, headersFor(s, alice.token, 'https://evil.example'));
		const refused = s.log.filter((l) => l.event === 'refused');
		expect(refused.some((l) => l.fields.origin === 'https://evil.example')).toBe(true);
		expect(JSON.stringify(s.log)).not.toContain(alice.token);
	});

	test('WS-10 connections per user are capped', async () => {
		const t = await startTestServer({ connectionsPerUser: 2 });
		try {
			const m = await t.member();
			const b = await t.board([[m, 'participant']]);
			const a1 = await rawConnect(`${t.wsBase}/${b}`, headersFor(t, m.token));
			const a2 = await rawConnect(`${t.wsBase}/${b}`, headersFor(t, m.token));
			const a3 = await rawConnect(`${t.wsBase}/${b}`, headersFor(t, m.token));
			expect([a1.status, a2.status, a3.status]).toEqual([101, 101, 429]);
			for (const h of [a1, a2]) if ('ws' in h) h.ws.close();
		} finally {
			await t.close();
		}
	});
});

describe('sync', () => {
	test('two stock y-websocket clients converge through the server', async () => {
		const bob = await s.member();
		const b = await s.board([
			[alice, 'participant'],
			[bob, 'facilitator']
		]);
		const p1 = connect(s, alice, b);
		const p2 = connect(s, bob, b);
		await Promise.all([synced(p1), synced(p2)]);
		p1.doc.getMap('items').set('a', 'from alice');
		p2.doc.getMap('notes').set('l1', 'こんにちは');
		await waitFor(
			() => p1.doc.getMap('notes').get('l1') === 'こんにちは' && p2.doc.getMap('items').has('a'),
			5000,
			'convergence'
		);
		expect(Y.encodeStateVector(p1.doc)).toEqual(Y.encodeStateVector(p2.doc));
		p1.destroy();
		p2.destroy();
	});
});
