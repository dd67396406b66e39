import { createServer, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import pg from 'pg';
import * as Y from 'yjs';
import { readFacilitation } from '../../src/lib/domain/board/facilitation';
import { signOut } from '../../src/lib/server/auth/session-end';
import { updateFacilitation } from '../../src/lib/server/boards/facilitation';
import { BOARD_LOCK_NAMESPACE } from '../../src/lib/server/db/locks';
import {
	connect,
	disconnect,
	headersFor,
	rawConnect,
	startTestServer,
	synced,
	waitFor,
	type TestServer
} from '../helpers/collab';
import { TEST_DIALECT } from '../helpers/db';

/**
 * Issue 15, layer 4: one owner per board. Two processes on one PostgreSQL database, each with
 * an internal address: a socket for a board the other process owns is relayed to it, byte for
 * byte; the owner re-checks the client; when the owner loses its board locks the board moves.
 */
describe.skipIf(TEST_DIALECT !== 'postgres')('one owner per board, relayed sockets', () => {
	let servers: TestServer[] = [];
	const closers: (() => Promise<void>)[] = [];
	afterEach(async () => {
		for (const c of closers.splice(0)) await c();
		for (const s of servers.reverse()) await s.close();
		servers = [];
	});

	async function pair(limits = {}): Promise<[TestServer, TestServer]> {
		const a = await startTestServer(limits, { internal: true });
		servers.push(a);
		const b = await startTestServer(limits, { peerOf: a, internal: true });
		servers.push(b);
		return [a, b];
	}

	async function admin(url: string): Promise<pg.Client> {
		const c = new pg.Client({ connectionString: url });
		// A terminated session says so more than once; the test waits for it where it matters.
		c.on('error', () => undefined);
		await c.connect();
		closers.push(() => c.end());
		return c;
	}

	test('a socket landing on B for a board A owns is relayed to A: edits both ways, close codes too', async () => {
		const [a, b] = await pair();
		const m1 = await a.member();
		const m2 = await a.member();
		const board = await a.board([
			[m1, 'participant'],
			[m2, 'participant']
		]);
		const p1 = connect(a, m1, board);
		await synced(p1);
		const p2 = connect(b, m2, board);
		await synced(p2);
		expect(b.log.some((l) => l.event === 'relay' && l.fields.board === board)).toBe(true);
		// The owner serves both sockets; B holds none of its own.
		expect(a.collab.connections.all.size).toBe(2);
		expect(b.collab.connections.all.size).toBe(0);
		expect(b.collab.registry.size).toBe(0);
		p1.doc.getMap('items').set('from-a', 1);
		p2.doc.getMap('items').set('from-b', 2);
		await waitFor(() => p2.doc.getMap('items').get('from-a') === 1, 3000, 'A to B');
		await waitFor(() => p1.doc.getMap('items').get('from-b') === 2, 3000, 'B to A');
		// The owner's close code reaches the client through the relay.
		const closed = new Promise<number>((r) => p2.once('connection-close', (e) => r(e!.code)));
		await signOut(b.app, { sessionId: m2.sessionId, userId: m2.user.id, ip: '127.0.0.1' });
		expect(await closed).toBe(4401);
		disconnect(p1);
		disconnect(p2);
	});

	test('a handshake with forged relay headers is refused with 403', async () => {
		const [a] = await pair();
		const m = await a.member();
		const board = await a.board([[m, 'participant']]);
		const h = await rawConnect(`${a.wsBase}/${board}`, {
			...headersFor(a, m.token),
			'x-yoriai-relay-ip': '203.0.113.9',
			'x-yoriai-relay-at': String(Date.now()),
			'x-yoriai-relay-sig': '00'.repeat(32)
		});
		expect(h.status).toBe(403);
	});

	test('DUR when the owner loses its database session the board moves, and every acknowledged edit is kept', async () => {
		const [a, b] = await pair();
		const m1 = await a.member();
		const m2 = await a.member();
		const board = await a.board([
			[m1, 'participant'],
			[m2, 'participant']
		]);
		const p1 = connect(a, m1, board);
		await synced(p1);
		const p2 = connect(b, m2, board);
		await synced(p2);
		for (let i = 0; i < 20; i++) p2.doc.getMap('items').set(`k${i}`, i);
		// Seen by the other client = committed and echoed by the owner.
		await waitFor(() => p1.doc.getMap('items').size === 20, 5000, 'acknowledged');
		const c = await admin(a.dbPath);
		const { rows } = await c.query<{ pid: number }>(
			'select backend_pid as pid from collab_processes where process_id = $1',
			[a.app.processId]
		);
		expect(rows).toHaveLength(1);
		await c.query('select pg_terminate_backend($1)', [rows[0]!.pid]);
		// Both clients were cut (A dropped the board) and reconnect; whoever serves it now has it all.
		await waitFor(() => a.collab.registry.size === 0 || !p1.wsconnected, 3000, 'A lets go');
		await Promise.all([synced(p1), synced(p2)]);
		p1.doc.getMap('items').set('after', true);
		await waitFor(() => p2.doc.getMap('items').get('after') === true, 5000, 'served again');
		const fresh = connect(b, m1, board, { doc: new Y.Doc() });
		await synced(fresh);
		await waitFor(() => fresh.doc.getMap('items').size === 21, 3000, 'all edits kept');
		disconnect(fresh);
		disconnect(p1);
		disconnect(p2);
	});

	test('a process silent for longer than the hung limit has its backend terminated and its boards freed', async () => {
		const [, b] = await pair({ ownerBeatMs: 100, hungOwnerMs: 400 });
		const c = await admin(b.dbPath);
		// A stand-in for a hung owner: a session holding a board's lock that beat once, then
		// fell silent.
		const { rows } = await c.query<{ pid: number }>('select pg_backend_pid() as pid');
		const pid = rows[0]!.pid;
		await c.query('select pg_advisory_lock($1, hashtext($2))', [
			BOARD_LOCK_NAMESPACE,
			'hung-board'
		]);
		await c.query(
			`insert into collab_processes (backend_pid, process_id, address, beat_at)
			values ($1, 'hung', 'http://127.0.0.1:1', (extract(epoch from clock_timestamp()) * 1000)::bigint)`,
			[pid]
		);
		const ended = new Promise<void>((r) => c.once('error', () => r()));
		await new Promise((r) => setTimeout(r, 500));
		const pgLog = (
			b.collab as unknown as { pg: import('../../src/lib/server/collab/pg-board-log').PgBoardLog }
		).pg;
		// The peers' own sweep (every beat) or this call ends it, whichever comes first.
		await pgLog.terminateHung(400);
		await ended;
		expect(await pgLog.claim('hung-board')).toBe(true);
	});

	test('a socket relayed to an owner whose database session was ended (a hung owner) is cut, so its client can reconnect', async () => {
		const [a, b] = await pair({ ownerBeatMs: 100 });
		const m = await a.member();
		const board = await a.board([[m, 'participant']]);
		// A stopped owner: the kernel accepts connections for it, and nothing ever answers.
		let accepted = 0;
		const held = new Set<Socket>();
		const stopped = createServer((sock) => {
			accepted++;
			held.add(sock);
		});
		await new Promise<void>((r) => stopped.listen(0, '127.0.0.1', r));
		closers.push(async () => {
			for (const sock of held) sock.destroy();
			await new Promise((r) => stopped.close(r));
		});
		const owner = await admin(b.dbPath);
		const { rows } = await owner.query<{ pid: number }>('select pg_backend_pid() as pid');
		await owner.query('select pg_advisory_lock($1, hashtext($2))', [BOARD_LOCK_NAMESPACE, board]);
		await owner.query(
			`insert into collab_processes (backend_pid, process_id, address, beat_at)
			values ($1, 'stopped', $2, (extract(epoch from clock_timestamp()) * 1000)::bigint)`,
			[rows[0]!.pid, `http://127.0.0.1:${(stopped.address() as AddressInfo).port}`]
		);
		const ws = new WebSocket(`${b.wsBase}/${board}`, { headers: headersFor(b, m.token) });
		let cut = false;
		ws.on('error', () => (cut = true));
		ws.on('close', () => (cut = true));
		await waitFor(() => accepted === 1, 3000, 'relayed to the stopped owner');
		await new Promise((r) => setTimeout(r, 300));
		expect(cut).toBe(false);
		// Its session ends (a peer's hung-owner sweep): B cuts the relay within a beat or two.
		const peer = await admin(b.dbPath);
		await peer.query('select pg_terminate_backend($1)', [rows[0]!.pid]);
		await waitFor(() => cut, 2000, 'the relay cut');
	});

	test('a phase change made on B, which does not own the board, reaches the document and the rules on A', async () => {
		const [a, b] = await pair();
		const m = await a.member();
		const board = await a.board([[m, 'participant']]);
		const p = connect(a, m, board);
		await synced(p);
		p.doc.getMap('items').set('before', 1);
		await waitFor(() => a.collab.registry.stats.committedUpdates >= 1, 3000, 'committed');
		// Reading on B: the committed document, without taking the board.
		const copy = await b.collab.readDoc(board);
		expect(copy.getMap('items').get('before')).toBe(1);
		copy.destroy();
		expect(b.collab.registry.size).toBe(0);
		await updateFacilitation(b.app, board, (f) => ({ ...f, phase: 'vote', locked: true }));
		// The owner applied and committed it: A's client sees it (it was broadcast there).
		await waitFor(() => readFacilitation(p.doc).phase === 'vote', 3000, 'the phase on A');
		expect(readFacilitation(p.doc).locked).toBe(true);
		expect(b.collab.registry.size).toBe(0);
		// And A applies the lock to its sockets (the announcement crossed over).
		p.doc.getMap('items').set('locked-out', 1);
		await waitFor(() => a.collab.stats.refusedByRule.locked === 1, 3000, 'refused on A');
		disconnect(p);
	});

	test('an internal apply request without the shared secret is refused', async () => {
		const [a] = await pair();
		const m = await a.member();
		const board = await a.board([[m, 'participant']]);
		const res = await fetch(
			`http://127.0.0.1:${a.port}/internal/collab/${board}/apply?origin=votes`,
			{
				method: 'POST',
				headers: { 'x-yoriai-relay-at': String(Date.now()), 'x-yoriai-relay-sig': '00'.repeat(32) },
				body: new Uint8Array([0, 0])
			}
		);
		expect(res.status).toBe(403);
	});
});
