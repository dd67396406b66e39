import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { addCard, addComment, readBoard, seedBoard } from '../../src/lib/domain/board/doc';
import { writeFacilitation, DEFAULT_FACILITATION } from '../../src/lib/domain/board/facilitation';
import { BoardPolicies } from '../../src/lib/server/collab/policy';
import { tempDb } from '../helpers/db';

let t: Awaited<ReturnType<typeof tempDb>>;
beforeAll(async () => {
	t = await tempDb();
});
afterAll(async () => {
	await t.cleanup();
});

function board() {
	const server = new Y.Doc();
	seedBoard(
		server,
		[{ title: 'A', titleEn: '', note: '', kind: 'issue', sources: [] }],
		{ id: 1, name: 'x' },
		0
	);
	// Each change from a fresh client: one the server refused leaves a gap in its client's
	// clocks, and the server refuses whatever that client sends after it until it resyncs.
	const change = (fn: (d: Y.Doc) => void) => {
		const client = new Y.Doc();
		Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
		const sv = Y.encodeStateVector(client);
		fn(client);
		return Y.encodeStateAsUpdate(client, sv);
	};
	const unsorted = readBoard(server).lanes.find((l) => l.preset === 'unsorted')!.id;
	const card = readBoard(server).lanes.flatMap((l) => l.cards)[0]!.id;
	return { server, change, unsorted, card };
}

describe('board policies on the realtime server', () => {
	test('a locked board takes changes from facilitators only', async () => {
		const p = new BoardPolicies(t.db);
		const { server, change, unsorted } = board();
		p.set('b1', { phase: 'sort', locked: true });
		const add = change((d) =>
			addCard(d, { title: 'x', lane: unsorted, author: { id: 2, name: 'y' }, now: 1 })
		);
		expect(p.judge('b1', { id: 2, name: 'y', role: 'participant' }, server, add)).toEqual({
			ok: false,
			reason: 'locked'
		});
		expect(p.judge('b1', { id: 2, name: 'y', role: 'facilitator' }, server, add)).toEqual({
			ok: true
		});
	});

	test('phase rules: no new cards while voting, comments still welcome', async () => {
		const p = new BoardPolicies(t.db);
		const { server, change, unsorted, card } = board();
		p.set('b2', { phase: 'vote', locked: false });
		const add = change((d) =>
			addCard(d, { title: 'x', lane: unsorted, author: { id: 2, name: 'y' }, now: 1 })
		);
		expect(p.judge('b2', { id: 2, name: 'y', role: 'participant' }, server, add)).toEqual({
			ok: false,
			reason: 'phase'
		});
		const comment = change((d) =>
			addComment(d, card, { text: '賛成', author: { id: 2, name: 'y' }, now: 1 })
		);
		expect(p.judge('b2', { id: 2, name: 'y', role: 'participant' }, server, comment)).toEqual({
			ok: true
		});
	});

	test('nobody writes server-owned state over the socket, not even a facilitator', async () => {
		const p = new BoardPolicies(t.db);
		const { server, change } = board();
		const forged = change((d) =>
			writeFacilitation(d, { ...DEFAULT_FACILITATION, phase: 'wrapup' })
		);
		expect(p.judge('b3', { id: 2, name: 'y', role: 'facilitator' }, server, forged)).toEqual({
			ok: false,
			reason: 'server-only'
		});
		expect(p.judge('b3', { id: 2, name: 'y', role: 'participant' }, server, forged)).toEqual({
			ok: false,
			reason: 'server-only'
		});
	});

	test('an unknown board starts from the default rules (sort, unlocked)', async () => {
		const p = new BoardPolicies(t.db);
		await p.load('nosuchboard1');
		const { server, change, unsorted } = board();
		const add = change((d) =>
			addCard(d, { title: 'x', lane: unsorted, author: { id: 2, name: 'y' }, now: 1 })
		);
		expect(p.judge('nosuchboard1', { id: 2, name: 'y', role: 'participant' }, server, add)).toEqual(
			{ ok: true }
		);
	});
});
