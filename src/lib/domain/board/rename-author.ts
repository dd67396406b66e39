import * as Y from 'yjs';
import { ROOTS } from './schema';

type Named = { id: number; name: string };

const isNamed = (v: unknown): v is Named =>
	typeof v === 'object' &&
	v !== null &&
	typeof (v as Named).id === 'number' &&
	typeof (v as Named).name === 'string';

/**
 * Replaces the name shown for `userId` everywhere the board's document recorded it — cards they
 * created, merges they made, their comments, comments they hid — with `name` (an account
 * deletion). Ids stay, so "whose is this" still works for the rules; only the name goes. Runs in
 * the caller's transaction; returns how many places changed.
 */
export function renameAuthor(doc: Y.Doc, userId: number, name: string): number {
	let changed = 0;
	const cards = doc.getMap<Y.Map<unknown>>(ROOTS.cards);
	for (const card of cards.values()) {
		const by = card.get('createdBy');
		if (isNamed(by) && by.id === userId && by.name !== name) {
			card.set('createdBy', { id: userId, name });
			changed++;
		}
		const merge = card.get('merge') as { by?: unknown; at?: unknown } | null;
		if (merge && isNamed(merge.by) && merge.by.id === userId && merge.by.name !== name) {
			card.set('merge', { ...merge, by: { id: userId, name } });
			changed++;
		}
	}
	// Comments are plain values in arrays: each of theirs is replaced in place, same id and text.
	const comments = doc.getMap<Y.Array<{ by: unknown }>>(ROOTS.comments);
	for (const list of comments.values()) {
		list.toArray().forEach((c, i) => {
			if (isNamed(c.by) && c.by.id === userId && c.by.name !== name) {
				list.delete(i, 1);
				list.insert(i, [{ ...c, by: { id: userId, name } }]);
				changed++;
			}
		});
	}
	const hidden = doc.getMap<{ by?: unknown }>(ROOTS.hiddenComments);
	for (const [id, mark] of hidden.entries()) {
		if (isNamed(mark?.by) && mark.by.id === userId && mark.by.name !== name) {
			hidden.set(id, { ...mark, by: { id: userId, name } });
			changed++;
		}
	}
	return changed;
}
