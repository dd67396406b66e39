import * as prng from 'lib0/prng';
import * as Y from 'yjs';

/**
 * The benchmark board (realtime-benchmarks.md): 500 cards, each a Y.Map with a title, a Y.Text
 * description, a column and an order, in 5 columns, shaped by 5,000 history edits (~315 KB).
 */
export const COLUMNS = ['c1', 'c2', 'c3', 'c4', 'c5'];

export function buildBoard(cards = 500, edits = 5000, seed = 1): Y.Doc {
	const gen = prng.create(seed);
	const doc = new Y.Doc();
	const map = doc.getMap<Y.Map<unknown>>('cards');
	doc.transact(() => {
		for (let i = 0; i < cards; i++) {
			const card = new Y.Map<unknown>();
			map.set(`card${i}`, card);
			card.set('title', `カード ${i}: ${prng.word(gen, 5, 20)}`);
			const text = new Y.Text();
			card.set('description', text);
			text.insert(0, prng.utf16String(gen, 80));
			card.set('column', prng.oneOf(gen, COLUMNS));
			card.set('order', i);
		}
	});
	for (let e = 0; e < edits; e++) {
		const card = map.get(`card${prng.uint32(gen, 0, cards - 1)}`) as Y.Map<unknown>;
		const kind = prng.uint32(gen, 0, 2);
		if (kind === 0) moveCard(card, gen);
		else if (kind === 1) card.set('title', `カード ${prng.word(gen, 5, 20)}`);
		else {
			const text = card.get('description') as Y.Text;
			text.insert(prng.uint32(gen, 0, text.length), prng.word(gen, 1, 6));
		}
	}
	return doc;
}

/** A writer's typical operation: move a card (≈56 B update). */
export function moveCard(card: Y.Map<unknown>, gen: prng.PRNG): void {
	card.doc?.transact(() => {
		card.set('column', prng.oneOf(gen, COLUMNS));
		card.set('order', prng.real53(gen));
	});
}
