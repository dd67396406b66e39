import * as prng from 'lib0/prng';
import * as Y from 'yjs';
import type { Author } from '../../src/lib/domain/board/doc';
import { ROOTS } from '../../src/lib/domain/board/schema';

/**
 * The benchmark board (realtime-benchmarks.md): 500 cards in 5 lanes, shaped by 5,000 history
 * edits (~315 KB). The cards have the board document's shape (`schema.ts`: Y.Text title and
 * note, lane, order key, …), so the server's rules accept every edit a writer sends; they are
 * written as created by `author`, which matters only when a client sends the whole board.
 */
export const COLUMNS = ['c1', 'c2', 'c3', 'c4', 'c5'];

const SEED_AUTHOR: Author = { id: 0, name: 'seed' };

export function buildBoard(cards = 500, edits = 5000, seed = 1, author = SEED_AUTHOR): Y.Doc {
	const gen = prng.create(seed);
	const doc = new Y.Doc();
	const map = doc.getMap<Y.Map<unknown>>(ROOTS.cards);
	doc.transact(() => {
		for (let i = 0; i < cards; i++) {
			const card = new Y.Map<unknown>();
			map.set(`card${i}`, card);
			card.set('title', new Y.Text(`カード ${i}: ${prng.word(gen, 5, 20)}`));
			const note = new Y.Text();
			card.set('note', note);
			note.insert(0, prng.word(gen, 40, 80));
			card.set('titleEn', '');
			card.set('lane', prng.oneOf(gen, COLUMNS));
			card.set('order', orderKey(gen));
			card.set('kind', 'note');
			card.set('sources', new Y.Array());
			card.set('group', null);
			card.set('createdBy', { ...author });
			card.set('createdAt', 0);
			card.set('archived', false);
			card.set('mergedInto', null);
			card.set('merge', null);
			card.set('splitFrom', null);
		}
	});
	for (let e = 0; e < edits; e++) {
		const card = map.get(`card${prng.uint32(gen, 0, cards - 1)}`) as Y.Map<unknown>;
		const kind = prng.uint32(gen, 0, 2);
		if (kind === 0) moveCard(card, gen);
		else if (kind === 1) {
			const title = card.get('title') as Y.Text;
			doc.transact(() => {
				title.delete(0, title.length);
				title.insert(0, `カード ${prng.word(gen, 5, 20)}`);
			});
		} else {
			const text = card.get('note') as Y.Text;
			text.insert(prng.uint32(gen, 0, text.length), prng.word(gen, 1, 6));
		}
	}
	return doc;
}

/** A writer's typical operation: move a card (≈60 B update). */
export function moveCard(card: Y.Map<unknown>, gen: prng.PRNG): void {
	card.doc?.transact(() => {
		card.set('lane', prng.oneOf(gen, COLUMNS));
		card.set('order', orderKey(gen));
	});
}

function orderKey(gen: prng.PRNG): string {
	return `a${prng.uint32(gen, 0, 0x7fffffff).toString(36)}`;
}
