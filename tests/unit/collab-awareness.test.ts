import * as decoding from 'lib0/decoding';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import { rewriteAwarenessState } from '../../src/lib/server/collab/awareness-state';
import {
	awarenessFrame,
	connect,
	openRaw,
	sleep,
	startTestServer,
	synced,
	waitFor,
	type Member,
	type TestServer
} from '../helpers/collab';

let s: TestServer;
let victim: Member;
let attacker: Member;
let watcher: Member;
let board: string;
let pv: WebsocketProvider;
let pw: WebsocketProvider;

type State = { user?: { id?: number; name?: string; color?: string }; cursor?: number } | undefined;
const stateOf = (p: WebsocketProvider, clientId: number) =>
	p.awareness.getStates().get(clientId) as State;

/** The client ids in an awareness message (`[1, update]`). */
function readAwareness(message: Uint8Array): number[] {
	const d = decoding.createDecoder(message);
	decoding.readVarUint(d);
	const u = decoding.createDecoder(decoding.readVarUint8Array(d));
	const ids: number[] = [];
	for (let n = decoding.readVarUint(u); n > 0; n--) {
		ids.push(decoding.readVarUint(u));
		decoding.readVarUint(u);
		decoding.readVarString(u);
	}
	return ids;
}

beforeAll(async () => {
	s = await startTestServer();
	victim = await s.member();
	attacker = await s.member();
	watcher = await s.member();
	board = await s.board([
		[victim, 'participant'],
		[attacker, 'participant'],
		[watcher, 'observer']
	]);
	pv = connect(s, victim, board);
	pv.awareness.setLocalState({ user: { name: 'Victim', color: '#ff0000' }, cursor: 1 });
	pw = connect(s, watcher, board);
	await Promise.all([synced(pv), synced(pw)]);
	await waitFor(() => stateOf(pw, pv.doc.clientID) !== undefined, 3000, 'victim visible');
});
afterAll(async () => {
	pv.destroy();
	pw.destroy();
	await s.close();
});

describe('presence is bound to the authenticated user (WS-11)', () => {
	test('the server replaces the claimed identity with the session user and keeps the colour', () => {
		const seen = stateOf(pw, pv.doc.clientID);
		expect(seen?.user).toEqual({
			id: victim.user.id,
			name: victim.user.displayName,
			sector: 'industry',
			color: '#ff0000'
		});
		expect(seen?.cursor).toBe(1);
	});

	test('spoofing another connection’s client id, or removing it with a null state, is ignored', async () => {
		const raw = await openRaw(s, attacker, board);
		const victimId = pv.doc.clientID;
		const clock = (pw.awareness.meta.get(victimId)?.clock ?? 0) + 5;
		raw.ws.send(
			awarenessFrame([{ clientId: victimId, clock, state: { user: { name: 'Facilitator' } } }])
		);
		raw.ws.send(awarenessFrame([{ clientId: victimId, clock: clock + 1, state: null }]));
		await sleep(200);
		expect(stateOf(pw, victimId)?.user?.name).toBe(victim.user.displayName);
		expect([...s.collab.connections.all].some((c) => c.foreignAwareness === 2)).toBe(true);
		raw.ws.close();
		await raw.closed;
		await sleep(100);
		// The attacker leaving removes nothing of the victim's.
		expect(stateOf(pw, victimId)).toBeDefined();
	});

	test('a forged user field on one’s own client id is overwritten, not trusted', async () => {
		const raw = await openRaw(s, attacker, board);
		const myId = 4_000_000_001;
		raw.ws.send(
			awarenessFrame([
				{
					clientId: myId,
					clock: 1,
					state: { user: { id: victim.user.id, name: 'Facilitator', color: 'red;x' } }
				}
			])
		);
		await waitFor(() => stateOf(pw, myId) !== undefined, 2000, 'attacker visible');
		expect(stateOf(pw, myId)?.user).toEqual({
			id: attacker.user.id,
			name: attacker.user.displayName,
			sector: 'industry'
		});
		raw.ws.close();
		await raw.closed;
		await waitFor(() => stateOf(pw, myId) === undefined, 2000, 'attacker gone on close');
	});

	test('oversized states and prototype keys close the connection', async () => {
		for (const state of [
			{ blob: 'x'.repeat(1024 * 1024) },
			JSON.parse('{"__proto__": {"isAdmin": true}}') as unknown,
			{ a: { constructor: { prototype: { x: 1 } } } },
			[1, 2, 3]
		]) {
			const raw = await openRaw(s, attacker, board);
			raw.ws.send(awarenessFrame([{ clientId: 4_000_000_002, clock: 1, state }]));
			expect(await raw.closed).toBe(1008);
		}
		expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
	});

	test('the rewrite keeps only a hex colour and refuses forbidden keys', () => {
		const id = { id: 7, name: '田中', sector: 'academia' };
		expect(JSON.parse(rewriteAwarenessState('{"user":{"color":"#00AA11"}}', id, 2048))).toEqual({
			user: { ...id, color: '#00AA11' }
		});
		expect(rewriteAwarenessState('null', id, 2048)).toBe('null');
		expect(() => rewriteAwarenessState('{"prototype":1}', id, 2048)).toThrow();
		expect(() => rewriteAwarenessState('"x"', id, 2048)).toThrow();
	});
});

describe('presence under stock-client echo', () => {
	test('WS-11 two tabs of the same user keep their own ids; nothing bounces between them', async () => {
		const tab1 = connect(s, victim, board);
		const tab2 = connect(s, victim, board);
		await Promise.all([synced(tab1), synced(tab2)]);
		tab1.awareness.setLocalStateField('cursor', 1);
		tab2.awareness.setLocalStateField('cursor', 2);
		await waitFor(
			() =>
				stateOf(pw, tab1.doc.clientID) !== undefined && stateOf(pw, tab2.doc.clientID) !== undefined
		);
		await sleep(200);
		const raw = await openRaw(s, watcher, board);
		await sleep(500);
		// Without ownership the tabs' echoes hand each other's ids back and forth without end.
		expect(raw.messages.filter((m) => m[0] === 1).length).toBeLessThan(5);
		raw.ws.close();
		tab1.destroy();
		tab2.destroy();
	});

	test('a burst of presence changes reaches each client as one message, without its own state', async () => {
		const senders = await Promise.all([1, 2, 3, 4].map(() => openRaw(s, attacker, board)));
		const watching = await openRaw(s, watcher, board);
		await sleep(100);
		const awarenessIn = (messages: Uint8Array[]) =>
			messages.filter((m) => m[0] === 1).map((m) => readAwareness(m));
		const before = senders.map((r) => r.messages.length);
		const watchedBefore = watching.messages.length;
		senders.forEach((r, i) =>
			r.ws.send(awarenessFrame([{ clientId: 4_100_000_000 + i, clock: 1, state: { cursor: i } }]))
		);
		await sleep(300);
		const seen = awarenessIn(watching.messages.slice(watchedBefore));
		expect(seen).toHaveLength(1);
		expect(seen[0]?.sort()).toEqual([4_100_000_000, 4_100_000_001, 4_100_000_002, 4_100_000_003]);
		senders.forEach((r, i) => {
			const got = awarenessIn(r.messages.slice(before[i])).flat();
			expect(got).toHaveLength(3);
			expect(got).not.toContain(4_100_000_000 + i);
		});
		for (const r of [...senders, watching]) r.ws.close();
	});
});
