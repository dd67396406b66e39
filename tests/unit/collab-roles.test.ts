import { describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import {
	connect,
	headersFor,
	logRows,
	openRaw,
	receivedUpdates,
	scratchUpdate,
	sleep,
	syncFrame,
	synced,
	waitFor,
	type TestServer
} from '../helpers/collab';
import { serverPerTest } from '../helpers/collab-server';

const newServer = serverPerTest();

/** The server's committed state vector for a board. */
async function serverVector(t: TestServer, board: string): Promise<Uint8Array> {
	const doc = await t.collab.readDoc(board);
	const sv = Y.encodeStateVector(doc);
	doc.destroy();
	return sv;
}

describe('observers are read-only at protocol level', () => {
	test('WS-05 an observer update sent as SyncStep2 and as Update never reaches the store or others', async () => {
		const s = await newServer();
		const fac = await s.member();
		const obs = await s.member();
		const board = await s.board([
			[fac, 'facilitator'],
			[obs, 'observer']
		]);
		const p = connect(s, fac, board);
		await synced(p);
		p.doc.getMap('items').set('legit', 1);
		await waitFor(() => s.collab.registry.stats.committedUpdates >= 1);
		const raw = await openRaw(s, obs, board);
		await sleep(50);
		const before = await serverVector(s, board);
		const rowsBefore = await logRows(s.db, board);
		const evil = scratchUpdate((d) => d.getMap('items').set('evil', 'observer wrote this'));
		raw.ws.send(syncFrame(1, evil));
		raw.ws.send(syncFrame(2, evil));
		await sleep(200);
		expect(await serverVector(s, board)).toEqual(before);
		expect(await logRows(s.db, board)).toBe(rowsBefore);
		expect(p.doc.getMap('items').has('evil')).toBe(false);
		expect(s.collab.stats.droppedReadOnly).toBe(2);
		// They still receive everything.
		const seen = receivedUpdates(raw.messages).length;
		p.doc.getMap('items').set('later', 2);
		await waitFor(() => receivedUpdates(raw.messages).length > seen, 2000, 'observer receives');
		expect(raw.ws.readyState).toBe(WebSocket.OPEN);
		raw.ws.close();
		p.destroy();
	});
});

describe('role changes and session ends reach open sockets (WS-12)', () => {
	test('AC-04 demotion to observer drops further updates at once; promotion resyncs', async () => {
		const s = await newServer();
		const fac = await s.member();
		const part = await s.member();
		const board = await s.board([
			[fac, 'facilitator'],
			[part, 'participant']
		]);
		const pf = connect(s, fac, board);
		const pp = connect(s, part, board);
		await Promise.all([synced(pf), synced(pp)]);
		pp.doc.getMap('items').set('before', 1);
		await waitFor(() => pf.doc.getMap('items').has('before'));
		s.app.events.emit('membership-changed', {
			boardId: board,
			userId: part.user.id,
			role: 'observer'
		});
		const before = await serverVector(s, board);
		pp.doc.getMap('items').set('after-demotion', 1);
		await sleep(200);
		expect(await serverVector(s, board)).toEqual(before);
		expect(pf.doc.getMap('items').has('after-demotion')).toBe(false);
		expect(s.collab.stats.droppedReadOnly).toBeGreaterThan(0);
		// Writable again: the server asks for the client's state and the kept edit arrives.
		s.app.events.emit('membership-changed', {
			boardId: board,
			userId: part.user.id,
			role: 'participant'
		});
		await waitFor(() => pf.doc.getMap('items').has('after-demotion'), 3000, 'resync');
		pf.destroy();
		pp.destroy();
	});

	test('WS-12 logout closes with 4401, removal with 4403, and the client stops retrying', async () => {
		const s = await newServer();
		const a = await s.member();
		const b = await s.member();
		const board = await s.board([
			[a, 'participant'],
			[b, 'participant']
		]);
		const ra = await openRaw(s, a, board);
		const rb = await openRaw(s, b, board);
		s.app.events.emit('sessions-revoked', [a.sessionId]);
		expect(await ra.closed).toBe(4401);
		s.app.events.emit('membership-changed', { boardId: board, userId: b.user.id, role: null });
		expect(await rb.closed).toBe(4403);
		// The stock client treats 44xx as final.
		const c = await s.member();
		await s.board([[c, 'participant']]);
		const other = await s.board([[c, 'participant']]);
		const p = connect(s, c, other);
		await synced(p);
		const closed = new Promise<number>((r) => p.once('closed', (e) => r(e.code)));
		s.app.events.emit('membership-changed', { boardId: other, userId: c.user.id, role: null });
		expect(await closed).toBe(4403);
		await sleep(400);
		expect(p.wsconnected).toBe(false);
		p.destroy();
	});

	test('WS-12 the periodic re-check catches expiry and removals made without an event', async () => {
		const s = await newServer({ recheckMs: 100 });
		const a = await s.member();
		const b = await s.member();
		const c = await s.member();
		const board = await s.board([
			[a, 'participant'],
			[b, 'participant'],
			[c, 'participant']
		]);
		const ra = await openRaw(s, a, board);
		const rb = await openRaw(s, b, board);
		const rc = await openRaw(s, c, board);
		await s.db
			.updateTable('sessions')
			.set({ expires_at: Date.now() - 1 })
			.where('id', '=', a.sessionId)
			.execute();
		await s.db
			.deleteFrom('board_members')
			.where('board_id', '=', board)
			.where('user_id', '=', b.user.id)
			.execute();
		await s.db
			.updateTable('board_members')
			.set({ role: 'observer' })
			.where('board_id', '=', board)
			.where('user_id', '=', c.user.id)
			.execute();
		expect(await ra.closed).toBe(4401);
		expect(await rb.closed).toBe(4403);
		await waitFor(() => [...s.collab.connections.all].some((x) => x.role === 'observer'));
		rc.ws.send(
			syncFrame(
				2,
				scratchUpdate((d) => d.getMap('m').set('x', 1))
			)
		);
		await waitFor(() => s.collab.stats.droppedReadOnly === 1, 2000, 'dropped');
		rc.ws.close();
	});

	test('WS-12 a peer that stops answering pings is dropped', async () => {
		const s = await newServer({ heartbeatMs: 100 });
		const a = await s.member();
		const board = await s.board([[a, 'participant']]);
		const ws = new WebSocket(`${s.wsBase}/${board}`, {
			headers: headersFor(s, a.token),
			autoPong: false
		});
		const code = await new Promise<number>((resolve) => ws.on('close', resolve));
		expect(code).toBe(1006);
		expect(s.log.some((l) => l.event === 'heartbeat-timeout')).toBe(true);
	});
});
