import { generateKeyBetween } from 'fractional-indexing';

/**
 * Order within a lane is a fractional-index string: inserting between two cards creates a key
 * between theirs, so no other card is ever renumbered and concurrent moves never conflict. Two
 * clients inserting at the same spot at the same moment can produce equal keys; ties sort by id,
 * so every replica shows the same order.
 */
export interface Ordered {
	id: string;
	order: string;
}

export function compareOrdered(a: Ordered, b: Ordered): number {
	if (a.order !== b.order) return a.order < b.order ? -1 : 1;
	return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * The key that puts an item at `index` in `sorted` (which must not contain the item itself).
 * Where neighbours share a key, the new key goes just above that key; the item then lands after
 * the tied group — the closest position a key can express.
 */
export function keyAt(sorted: readonly Ordered[], index: number): string {
	const i = Math.max(0, Math.min(index, sorted.length));
	const prev = sorted[i - 1]?.order ?? null;
	let next: string | null = sorted[i]?.order ?? null;
	if (prev !== null && next !== null && next <= prev) {
		next = sorted.slice(i).find((s) => s.order > prev)?.order ?? null;
	}
	return generateKeyBetween(prev, next);
}

export function keyAtEnd(sorted: readonly Ordered[]): string {
	return generateKeyBetween(sorted.at(-1)?.order ?? null, null);
}
