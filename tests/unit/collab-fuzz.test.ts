import * as prng from 'lib0/prng';
import { expect, test } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { readBoardDoc } from '../../src/lib/server/collab/index';
import { connect, disconnect, sleep, synced, waitFor } from '../helpers/collab';
import { serverPerTest } from '../helpers/collab-server';

const newServer = serverPerTest();

const SEED = Number(process.env.FUZZ_SEED ?? 20261122);
const CLIENTS = 4;
const STEPS = 400;

/** Everything a board holds, as plain data. */
function contents(doc: Y.Doc) {
	return {
		cards: doc.getMap('items').toJSON(),
		text: doc.getText('text').toString(),
		list: doc.getArray('list').toJSON()
	};
}

/** One random edit, in the style of Yjs's own randomized tests. */
function randomEdit(gen: prng.PRNG, doc: Y.Doc): void {
	const cards = doc.getMap<Y.Map<unknown>>('items');
	const text = doc.getText('text');
	const list = doc.getArray<number>('list');
	switch (prng.uint32(gen, 0, 6)) {
		case 0: {
			const card = new Y.Map<unknown>();
			card.set('title', prng.word(gen, 1, 8));
			cards.set(`card${prng.uint32(gen, 0, 15)}`, card);
			break;
		}
		case 1:
			cards.delete(`card${prng.uint32(gen, 0, 15)}`);
			break;
		case 2: {
			const card = cards.get(`card${prng.uint32(gen, 0, 15)}`);
			card?.set('lane', prng.uint32(gen, 0, 4));
			break;
		}
		case 3:
			text.insert(prng.uint32(gen, 0, text.length), prng.utf16String(gen, 5));
			break;
		case 4:
			if (text.length > 0) {
				const at = prng.uint32(gen, 0, text.length - 1);
				text.delete(at, prng.uint32(gen, 1, Math.min(4, text.length - at)));
			}
			break;
		case 5:
			list.insert(prng.uint32(gen, 0, list.length), [prng.uint32(gen, 0, 1000)]);
			break;
		default:
			if (list.length > 0) list.delete(prng.uint32(gen, 0, list.length - 1));
	}
}

test(`REL-02 convergence fuzz through the real server (seed ${SEED})`, async () => {
	const s = await newServer({ compactAfterRows: 50 });
	const members = await Promise.all(Array.from({ length: CLIENTS }, () => s.member()));
	const board = await s.board(members.map((m) => [m, 'participant'] as const));
	const gen = prng.create(SEED);
	const providers: WebsocketProvider[] = members.map((m) => connect(s, m, board));
	await Promise.all(providers.map((p) => synced(p)));

	for (let step = 0; step < STEPS; step++) {
		const i = prng.uint32(gen, 0, CLIENTS - 1);
		const p = providers[i] as WebsocketProvider;
		// Yjs's tests disconnect a random user 2% of the time; a bit more here to hit resyncs.
		if (prng.uint32(gen, 0, 99) < 4) {
			if (p.shouldConnect) p.disconnect();
			else p.connect();
		} else {
			randomEdit(gen, p.doc);
		}
		if (prng.uint32(gen, 0, 9) === 0) await sleep(prng.uint32(gen, 0, 5));
	}
	for (const p of providers) if (!p.shouldConnect) p.connect();
	await Promise.all(providers.map((p) => synced(p)));

	const serverVector = async () => {
		const d = await s.collab.readDoc(board);
		const sv = Y.encodeStateVector(d);
		d.destroy();
		return sv;
	};
	const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));
	// Quiescence: the clients' resent edits reach the server and everything comes back, until
	// every client holds what the server holds.
	let target = await serverVector();
	const deadline = Date.now() + 15_000;
	while (!providers.every((p) => same(Y.encodeStateVector(p.doc), target))) {
		if (Date.now() > deadline) throw new Error(`seed ${SEED}: no convergence`);
		await sleep(20);
		target = await serverVector();
	}
	await sleep(200);
	target = await serverVector();
	const expected = contents(providers[0]!.doc);
	for (const p of providers) {
		expect(same(Y.encodeStateVector(p.doc), target)).toBe(true);
		expect(contents(p.doc)).toEqual(expected);
	}
	const fresh = connect(s, members[0]!, board);
	await synced(fresh);
	expect(contents(fresh.doc)).toEqual(expected);
	disconnect(fresh);
	providers.forEach(disconnect);

	// And the board reloaded from SQLite alone.
	await waitFor(() => s.collab.registry.size === 0, 3000, 'unload');
	const stored = await readBoardDoc(s.app, board);
	expect(same(Y.encodeStateVector(stored), target)).toBe(true);
	expect(contents(stored)).toEqual(expected);
	expect(s.collab.registry.stats.compactions).toBeGreaterThan(0);
	stored.destroy();
});
