/**
 * What judging one client update costs the realtime server, per update, on the 500-card
 * benchmark board: tracing it (`classifyUpdate`) and the board's rules on the trace
 * (`judgeBoardRules`), beside applying it (`Y.applyUpdate`) — for G1's move, a keystroke in a
 * title, a comment and a new card. In-process and interleaved, so machine load hits all alike.
 *   npm run bench -- judge
 */
import * as Y from 'yjs';
import { classifyUpdate } from '../../src/lib/domain/board/classify-update';
import { addComment, type Author } from '../../src/lib/domain/board/doc';
import { judgeBoardRules } from '../../src/lib/domain/board/update-rules';
import { buildBoard, COLUMNS, moveCard } from '../helpers/board-model';
import { percentile, type Figure } from './bench';
import * as prng from 'lib0/prng';

/** Under the card limit (500 + 900 < 1,500) once every new card is applied. */
const ROUNDS = 900;
const AUTHOR: Author = { id: 7, name: 'ベンチ' };

export async function run(): Promise<Figure[]> {
	const server = buildBoard();
	const state = Y.encodeStateAsUpdate(server);
	const client = new Y.Doc();
	Y.applyUpdate(client, state);
	const gen = prng.create(3);
	const cards = client.getMap<Y.Map<unknown>>('cards');
	// What a provider sends: the transaction's own update (its deletions only, not the document's).
	const change = (fn: () => void): Uint8Array => {
		let update: Uint8Array | null = null;
		const take = (u: Uint8Array) => (update = u);
		client.on('update', take);
		client.transact(fn);
		client.off('update', take);
		if (!update) throw new Error('no change');
		return update;
	};
	const kinds: [string, () => Uint8Array][] = [
		['move', () => change(() => moveCard(cards.get(`card${prng.uint32(gen, 0, 499)}`)!, gen))],
		[
			'keystroke',
			() =>
				change(() =>
					(cards.get(`card${prng.uint32(gen, 0, 499)}`)!.get('title') as Y.Text).insert(0, 'あ')
				)
		],
		[
			'comment',
			() =>
				change(() =>
					addComment(client, `card${prng.uint32(gen, 0, 499)}`, {
						text: '賛成です',
						author: AUTHOR,
						now: 1
					})
				)
		],
		['new card', () => change(() => cards.set(`new${prng.uint32(gen, 0, 1e9)}`, newCard()))]
	];
	const figures: Figure[] = [];
	for (const [name, make] of kinds) {
		const trace: number[] = [];
		const rules: number[] = [];
		const apply: number[] = [];
		for (let i = 0; i < ROUNDS; i++) {
			const update = make();
			let t = performance.now();
			const changes = classifyUpdate(server, update);
			trace.push(performance.now() - t);
			t = performance.now();
			const verdict = judgeBoardRules(server, changes, { ...AUTHOR, facilitator: false });
			rules.push(performance.now() - t);
			if (!verdict.ok) throw new Error(`${name} refused: ${verdict.rule} ${verdict.detail}`);
			t = performance.now();
			Y.applyUpdate(server, update);
			apply.push(performance.now() - t);
		}
		const us = (xs: number[], p: number) => percentile(xs, p) * 1000;
		for (const [what, xs] of [
			['trace', trace],
			['rules', rules],
			['apply', apply]
		] as const)
			figures.push(
				{ name: `${name}: ${what} p50`, value: us(xs, 50), unit: 'µs' },
				{ name: `${name}: ${what} p99`, value: us(xs, 99), unit: 'µs' }
			);
	}
	return figures;
}

/** A card as `doc.ts` `addCard` writes one (the benchmark board has no lanes map to add it to). */
function newCard(): Y.Map<unknown> {
	const m = new Y.Map<unknown>();
	const fields: Record<string, unknown> = {
		title: new Y.Text('新しいカード'),
		note: new Y.Text(''),
		titleEn: '',
		lane: COLUMNS[0],
		order: 'a0',
		kind: 'note',
		sources: new Y.Array(),
		group: null,
		createdBy: { ...AUTHOR },
		createdAt: 1,
		archived: false,
		mergedInto: null,
		merge: null,
		splitFrom: null
	};
	for (const [k, v] of Object.entries(fields)) m.set(k, v);
	return m;
}
