import { sql } from 'kysely';
import * as decoding from 'lib0/decoding';
import { crc32 } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { savedParams, trackSaved, type SaveStatus } from '../../src/lib/collab/saved';
import {
	BoardNeedsRepair,
	changeBoardDoc,
	closeCollab,
	readBoardDoc,
	storeInitialState
} from '../../src/lib/server/collab/index';
import {
	connect,
	disconnect,
	logRows,
	openRaw,
	receivedUpdates,
	sleep,
	syncFrame,
	synced,
	waitFor,
	scratchUpdate,
	type TestServer
} from '../helpers/collab';
import { serverPerTest } from '../helpers/collab-server';

const newServer = serverPerTest();

async function setup(limits = {}) {
	const s = await newServer(limits);
	const a = await s.member();
	const b = await s.member();
	const board = await s.board([
		[a, 'participant'],
		[b, 'facilitator']
	]);
	return { t: s, a, b, board };
}

const snapshotCount = async (t: TestServer, board: string) =>
	(await t.db.selectFrom('collab_snapshots').select('seq').where('board_id', '=', board).execute())
		.length;

describe('durable before visible (DUR-03, DUR-10)', () => {
	test('DUR-03 an update is in SQLite by the time its echo (the ack) reaches the sender', async () => {
		const { t, a, board } = await setup();
		const raw = await openRaw(t, a, board);
		// Counted the moment the echo arrives: synchronously on SQLite; on PostgreSQL the query is
		// sent at once, and nothing else is sent before it answers (the next update waits below).
		const rowsAtEcho: Promise<number>[] = [];
		const count =
			t.dialect === 'sqlite'
				? t.sqlite.prepare('select count(*) as n from collab_updates where board_id = ?')
				: null;
		raw.ws.on('message', () =>
			rowsAtEcho.push(
				count ? Promise.resolve((count.get(board) as { n: number }).n) : logRows(t.db, board)
			)
		);
		for (let i = 0; i < 5; i++) {
			const seen = receivedUpdates(raw.messages).length;
			raw.ws.send(
				syncFrame(
					2,
					scratchUpdate((d) => d.getMap('m').set(`k${i}`, i))
				)
			);
			await waitFor(() => receivedUpdates(raw.messages).length > seen, 2000, 'echo');
			expect(await logRows(t.db, board)).toBe(i + 1);
		}
		expect(Math.max(...(await Promise.all(rowsAtEcho)))).toBe(5);
		raw.ws.close();
	});

	test('DUR-10 when the commit fails nothing is acknowledged or shown; clients resend later', async () => {
		const { t, a, b, board } = await setup();
		const pa = connect(t, a, board);
		const pb = connect(t, b, board);
		await Promise.all([synced(pa), synced(pb)]);
		const closes: number[] = [];
		pa.on('connection-close', (e) => closes.push(e?.code ?? 0));
		// The log writer's inserts fail while the table is away.
		await sql`alter table collab_updates rename to collab_updates_away`.execute(t.db);
		pa.doc.getMap('m').set('during-failure', 1);
		await waitFor(() => closes.includes(1011), 3000, 'close 1011');
		expect(pb.doc.getMap('m').has('during-failure')).toBe(false);
		expect(t.log.some((l) => l.event === 'commit-failed')).toBe(true);
		await sql`alter table collab_updates_away rename to collab_updates`.execute(t.db);
		// The client reconnects on its own and resends what the server lacks.
		await waitFor(() => pb.doc.getMap('m').has('during-failure'), 5000, 'resent after recovery');
		expect(await logRows(t.db, board)).toBeGreaterThan(0);
		pa.destroy();
		pb.destroy();
	});
});

describe('saved signal', () => {
	test('opt-in clients see saving → saved; stock clients never get the custom message', async () => {
		const { t, a, b, board } = await setup();
		const p = connect(t, a, board, { params: savedParams() });
		const tracker = trackSaved(p);
		const seen: SaveStatus[] = [];
		tracker.subscribe((st) => seen.push(st));
		await synced(p);
		await waitFor(() => tracker.current.state === 'saved');
		const stock = await openRaw(t, b, board);
		p.doc.getMap('m').set('x', 1);
		p.doc.getMap('m').set('y', 2);
		expect(tracker.current).toEqual({ state: 'saving', unsynced: 2 });
		await waitFor(() => tracker.current.state === 'saved', 3000, 'saved');
		expect(tracker.current.unsynced).toBe(0);
		expect(seen.some((st) => st.state === 'saving')).toBe(true);
		// Offline edits are counted, and confirmed after reconnecting.
		p.disconnect();
		expect(tracker.current.state).toBe('offline');
		p.doc.getMap('m').set('offline', 1);
		expect(tracker.current).toEqual({ state: 'offline', unsynced: 1 });
		p.connect();
		await waitFor(() => tracker.current.state === 'saved', 3000, 'saved after reconnect');
		expect(await logRows(t.db, board)).toBe(3);
		await sleep(50);
		expect(stock.messages.length).toBeGreaterThan(0);
		expect(stock.messages.some((m) => m[0] === 100)).toBe(false);
		stock.ws.close();
		tracker.destroy();
		p.destroy();
	});
});

describe('compaction and unloading (DUR-04, WS-13)', () => {
	test('DUR-04 the log is folded into a snapshot every N updates; load = snapshot + rest', async () => {
		const { t, a, board } = await setup({ compactAfterRows: 10 });
		const p = connect(t, a, board);
		await synced(p);
		for (let round = 0; round < 3; round++) {
			for (let i = 0; i < 10; i++) p.doc.getArray('a').push([round * 10 + i]);
			await waitFor(() => t.collab.registry.stats.committedUpdates >= (round + 1) * 10);
		}
		// Group commit decides how the updates are batched; each round reaches the threshold once.
		expect(t.collab.registry.stats.compactions).toBe(3);
		expect(await logRows(t.db, board)).toBe(0);
		expect(await snapshotCount(t, board)).toBe(1);
		for (let i = 30; i < 35; i++) p.doc.getArray('a').push([i]);
		await waitFor(() => t.collab.registry.stats.committedUpdates >= 35);
		expect(await logRows(t.db, board)).toBe(5);
		p.destroy();
		await waitFor(() => t.collab.registry.size === 0, 3000, 'unload');
		// After the last client left the rest was compacted too.
		expect(await logRows(t.db, board)).toBe(0);
		const doc = await readBoardDoc(t.app, board);
		expect(doc.getArray('a').toArray()).toEqual(Array.from({ length: 35 }, (_, i) => i));
		doc.destroy();
	});

	test('WS-13 boards leave memory after their last client; repeated cycles do not accumulate', async () => {
		const { t, a } = await setup();
		const boards = await Promise.all(
			Array.from({ length: 10 }, () => t.board([[a, 'participant']]))
		);
		const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
		const baseline = timers();
		for (let cycle = 0; cycle < 3; cycle++) {
			const ps = boards.map((board) => connect(t, a, board));
			await Promise.all(ps.map((p) => synced(p)));
			ps.forEach((p, i) => p.doc.getMap('m').set('cycle', cycle * 100 + i));
			await sleep(50);
			expect(t.collab.registry.size).toBe(10);
			ps.forEach(disconnect);
			await waitFor(() => t.collab.registry.size === 0, 3000, 'all unloaded');
		}
		expect(t.collab.registry.stats.unloads).toBe(30);
		expect(t.collab.connections.all.size).toBe(0);
		// Clients' reconnect back-off timers run out; nothing of the server's stays behind.
		await sleep(500);
		expect(timers()).toBeLessThanOrEqual(baseline);
	});
});

describe('damaged storage is isolated (REL-04)', () => {
	test('REL-04 a corrupted log row makes that board "needs repair" (4422); others work', async () => {
		const { t, a, board } = await setup();
		const healthy = await t.board([[a, 'participant']]);
		const p = connect(t, a, board);
		await synced(p);
		p.doc.getMap('m').set('x', 1);
		await waitFor(() => t.collab.registry.stats.committedUpdates >= 1);
		p.destroy();
		await waitFor(() => t.collab.registry.size === 0);
		// A truncated update and a row of garbage after the snapshot.
		await t.db
			.insertInto('collab_updates')
			.values([
				{ board_id: board, seq: 1000, data: Uint8Array.of(1, 1, 200, 1), created_at: 0 },
				{ board_id: board, seq: 1001, data: Uint8Array.of(9, 9, 9, 9, 9), created_at: 0 }
			])
			.execute();
		const raw = await openRaw(t, a, board);
		expect(await raw.closed).toBe(4422);
		expect(t.log.some((l) => l.event === 'board-needs-repair')).toBe(true);
		await expect(readBoardDoc(t.app, board)).rejects.toBeInstanceOf(BoardNeedsRepair);
		const ph = connect(t, a, healthy);
		await synced(ph);
		ph.doc.getMap('m').set('fine', 1);
		await waitFor(() => t.collab.registry.stats.committedUpdates >= 2);
		ph.destroy();
	});
});

describe('cold boards are served from storage (G6)', () => {
	/** [type, step] of each sync message, and the payload of each. */
	const syncMessages = (messages: Uint8Array[]) =>
		messages
			.filter((m) => m[0] === 0)
			.map((m) => {
				const d = decoding.createDecoder(m);
				decoding.readVarUint(d);
				return { step: decoding.readVarUint(d), payload: decoding.readVarUint8Array(d) };
			});

	test('the first client gets the snapshot and the log merged before the server has loaded; then only what is new', async () => {
		const { t, a, b, board } = await setup();
		const seed = new Y.Doc();
		seed.getMap('items').set('c1', 'スナップショット');
		await storeInitialState(t.db, board, Y.encodeStateAsUpdate(seed));
		// Three log rows, as an older server wrote them (no checksum: checked structurally).
		const rows = [1, 2, 3].map((i) => {
			const before = Y.encodeStateVector(seed);
			seed.getMap('items').set(`c${i + 1}`, `ログ ${i}`);
			return { board_id: board, seq: i, data: Y.encodeStateAsUpdate(seed, before), created_at: 0 };
		});
		await t.db.insertInto('collab_updates').values(rows).execute();
		const raw = await openRaw(t, a, board);
		await waitFor(() => syncMessages(raw.messages).some((m) => m.step === 0), 3000, 'SyncStep1');
		const sync = syncMessages(raw.messages);
		// The snapshot and the three rows merged as Updates, then an empty SyncStep2 — a stock
		// client is "synced" at its first SyncStep2, so everything comes before it — and the
		// server's SyncStep1.
		expect(sync.map((m) => m.step)).toEqual([2, 2, 1, 0]);
		expect(sync[2]?.payload).toEqual(Uint8Array.of(0, 0));
		const doc = new Y.Doc();
		for (const m of sync.slice(0, 2)) Y.applyUpdate(doc, m.payload);
		expect(doc.getMap('items').toJSON()).toEqual(seed.getMap('items').toJSON());
		// Its own SyncStep1 (sent before it had anything) is answered with nothing more.
		raw.ws.send(syncFrame(0, Y.encodeStateVector(new Y.Doc())));
		await waitFor(() => syncMessages(raw.messages).length === 5, 3000, 'reply');
		expect((syncMessages(raw.messages)[4] as { payload: Uint8Array }).payload).toEqual(
			Uint8Array.of(0, 0)
		);
		// A change made after the load still reaches a client that was primed.
		const pb = connect(t, b, board);
		await synced(pb);
		pb.doc.getMap('items').set('c9', '後から');
		await waitFor(() => receivedUpdates(raw.messages).length >= 3, 3000, 'broadcast');
		for (const u of receivedUpdates(raw.messages)) Y.applyUpdate(doc, u);
		expect(doc.getMap('items').get('c9')).toBe('後から');
		raw.ws.close();
		pb.destroy();
	});

	test('a stock client counts itself synced only once it holds the whole stored document', async () => {
		const { t, a, board } = await setup();
		const seed = new Y.Doc();
		seed.getMap('cards').set('c0', 'スナップショット');
		await storeInitialState(t.db, board, Y.encodeStateAsUpdate(seed));
		const rows = Array.from({ length: 20 }, (_, i) => {
			const before = Y.encodeStateVector(seed);
			seed.getMap('cards').set(`c${i + 1}`, i);
			return {
				board_id: board,
				seq: i + 1,
				data: Y.encodeStateAsUpdate(seed, before),
				created_at: 0
			};
		});
		await t.db.insertInto('collab_updates').values(rows).execute();
		const p = connect(t, a, board);
		const atSync = await new Promise<number>((resolve) =>
			p.once('sync', () => resolve(p.doc.getMap('cards').size))
		);
		expect(atSync).toBe(21);
		p.destroy();
	});

	test('REL-04 a stored blob that no longer matches its checksum needs repair, and none of it is sent', async () => {
		const { t, a, board } = await setup();
		const p = connect(t, a, board);
		await synced(p);
		p.doc.getMap('m').set('x', 'チェックサム');
		await waitFor(() => t.collab.registry.stats.committedUpdates >= 1);
		p.destroy();
		await waitFor(() => t.collab.registry.size === 0);
		const stored = await t.db
			.selectFrom('collab_snapshots')
			.select(['data', 'crc'])
			.where('board_id', '=', board)
			.executeTakeFirstOrThrow();
		expect(stored.crc).toBe(crc32(stored.data));
		// One flipped bit in the text: still a well-formed update, but not what was written.
		const damaged = Uint8Array.from(stored.data);
		const at = Buffer.from(damaged).indexOf(Buffer.from('チェックサム'));
		damaged[at + 1] = (damaged[at + 1] as number) ^ 1;
		await t.db
			.updateTable('collab_snapshots')
			.set({ data: damaged })
			.where('board_id', '=', board)
			.execute();
		const raw = await openRaw(t, a, board);
		expect(await raw.closed).toBe(4422);
		expect(raw.messages.filter((m) => m[0] === 0)).toEqual([]);
	});
});

describe('server-side API', () => {
	test('storeInitialState seeds a board; changeBoardDoc persists then broadcasts; readBoardDoc copies', async () => {
		const { t, a, board } = await setup();
		const seeded = await t.board([[a, 'participant']]);
		const seed = new Y.Doc();
		seed.getMap('cards').set('c1', 'シード');
		await storeInitialState(t.db, seeded, Y.encodeStateAsUpdate(seed));
		await expect(storeInitialState(t.db, seeded, Y.encodeStateAsUpdate(seed))).rejects.toThrow();
		const p = connect(t, a, seeded);
		await synced(p);
		expect(p.doc.getMap('cards').get('c1')).toBe('シード');
		await changeBoardDoc(
			t.app,
			seeded,
			(doc) => doc.getMap('facilitation').set('phase', 'voting'),
			'facilitation'
		);
		expect(await logRows(t.db, seeded)).toBe(1);
		await waitFor(() => p.doc.getMap('facilitation').get('phase') === 'voting');
		const copy = await readBoardDoc(t.app, seeded);
		expect(copy.getMap('cards').get('c1')).toBe('シード');
		copy.getMap('cards').set('c1', 'changed in the copy');
		await sleep(50);
		expect(p.doc.getMap('cards').get('c1')).toBe('シード');
		copy.destroy();
		p.destroy();
		// A board that is not loaded is read from SQLite.
		await waitFor(() => t.collab.registry.size === 0);
		const cold = await readBoardDoc(t.app, seeded);
		expect(cold.getMap('facilitation').get('phase')).toBe('voting');
		cold.destroy();
		expect(board).not.toBe(seeded);
	});

	test('DUR-08 shutdown commits everything, then closes sockets with 1012', async () => {
		const { t, a, board } = await setup();
		const p = connect(t, a, board);
		await synced(p);
		const closes: number[] = [];
		p.on('connection-close', (e) => closes.push(e?.code ?? 0));
		p.doc.getMap('m').set('acked', 1);
		await waitFor(() => t.collab.registry.stats.committedUpdates >= 1);
		// A change still in memory when shutdown starts is committed before the sockets close.
		const change = changeBoardDoc(t.app, board, (d) => d.getMap('m').set('last', 2), 'test');
		await closeCollab(t.app);
		await change;
		await waitFor(() => closes.includes(1012), 3000, '1012');
		disconnect(p);
		const stored = await t.db
			.selectFrom('collab_snapshots')
			.select('data')
			.where('board_id', '=', board)
			.executeTakeFirstOrThrow();
		const doc = new Y.Doc();
		Y.applyUpdate(doc, stored.data);
		expect(doc.getMap('m').toJSON()).toEqual({ acked: 1, last: 2 });
		expect(await logRows(t.db, board)).toBe(0);
	});
});
