/**
 * Where a card being carried (by pointer or keyboard) would land, before anything is written to
 * the shared document: the board shows the card there while it is carried and writes one move
 * when it is put down, so nobody else sees the in-between positions.
 */

export interface Placement {
	cardId: string;
	lane: string;
	/** The position among the target lane's other cards (what `moveCard` takes). */
	index: number;
}

interface HasId {
	id: string;
}

interface LaneLike<C extends HasId> {
	id: string;
	cards: C[];
}

/** The lanes with the carried card taken out of its lane and put at the placement. */
export function placeCard<C extends HasId, L extends LaneLike<C>>(
	lanes: readonly L[],
	p: Placement | null
): L[] {
	if (!p) return lanes as L[];
	const card = lanes.flatMap((l) => l.cards).find((c) => c.id === p.cardId);
	if (!card || !lanes.some((l) => l.id === p.lane)) return lanes as L[];
	return lanes.map((l) => {
		const rest = l.cards.filter((c) => c.id !== p.cardId);
		if (l.id !== p.lane) return rest.length === l.cards.length ? l : { ...l, cards: rest };
		const at = Math.max(0, Math.min(p.index, rest.length));
		return { ...l, cards: [...rest.slice(0, at), card, ...rest.slice(at)] };
	});
}

/**
 * The drop index for a pointer at `y` in a lane whose other cards have these vertical midpoints
 * (top to bottom): before the first card whose middle is below the pointer, else at the end. The
 * pointer decides, not the carried card's centre, so dropping anywhere in a lane's empty space
 * lands at its end.
 */
export function dropIndex(midpoints: readonly number[], y: number): number {
	const i = midpoints.findIndex((m) => y < m);
	return i === -1 ? midpoints.length : i;
}

/**
 * One keyboard step while carrying: ←/→ to the neighbouring lane (keeping the position where the
 * lane is long enough), ↑/↓ within the lane. Returns null when the step would leave the board.
 */
export function stepPlacement(
	lanes: readonly { id: string; count: number }[],
	p: Placement,
	key: 'left' | 'right' | 'up' | 'down'
): Placement | null {
	const li = lanes.findIndex((l) => l.id === p.lane);
	if (li === -1) return null;
	if (key === 'left' || key === 'right') {
		const next = lanes[li + (key === 'left' ? -1 : 1)];
		if (!next) return null;
		return { ...p, lane: next.id, index: Math.min(p.index, next.count) };
	}
	// `count` is the number of the lane's other cards: the carried card can sit at 0…count.
	const max = lanes[li]!.count;
	const index = p.index + (key === 'up' ? -1 : 1);
	if (index < 0 || index > max) return null;
	return { ...p, index };
}
