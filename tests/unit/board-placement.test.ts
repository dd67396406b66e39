import { describe, expect, it } from 'vitest';
import { dropIndex, placeCard, stepPlacement } from '../../src/lib/domain/board/placement';

const lanes = [
	{ id: 'a', cards: [{ id: '1' }, { id: '2' }, { id: '3' }] },
	{ id: 'b', cards: [] as { id: string }[] },
	{ id: 'c', cards: [{ id: '4' }] }
];
const ids = (ls: typeof lanes) => ls.map((l) => l.cards.map((c) => c.id).join(''));

describe('placeCard', () => {
	it('shows the carried card at its placement and nowhere else', () => {
		expect(ids(placeCard(lanes, { cardId: '1', lane: 'c', index: 1 }))).toEqual(['23', '', '41']);
		expect(ids(placeCard(lanes, { cardId: '3', lane: 'a', index: 0 }))).toEqual(['312', '', '4']);
		expect(ids(placeCard(lanes, { cardId: '2', lane: 'b', index: 9 }))).toEqual(['13', '2', '4']);
	});
	it('leaves the board as it is without a placement, or for an unknown card or lane', () => {
		expect(placeCard(lanes, null)).toBe(lanes);
		expect(ids(placeCard(lanes, { cardId: 'x', lane: 'a', index: 0 }))).toEqual(['123', '', '4']);
		expect(ids(placeCard(lanes, { cardId: '1', lane: 'z', index: 0 }))).toEqual(['123', '', '4']);
	});
});

describe('dropIndex', () => {
	it('is decided by the pointer against the middles of the other cards', () => {
		const mids = [100, 200, 300];
		expect(dropIndex(mids, 50)).toBe(0);
		expect(dropIndex(mids, 150)).toBe(1);
		expect(dropIndex(mids, 299)).toBe(2);
		expect(dropIndex(mids, 301)).toBe(3);
		// An empty lane, or the empty space below the last card: the end.
		expect(dropIndex([], 500)).toBe(0);
		expect(dropIndex(mids, 9000)).toBe(3);
	});
});

describe('stepPlacement', () => {
	const counts = [
		{ id: 'a', count: 2 },
		{ id: 'b', count: 0 },
		{ id: 'c', count: 1 }
	];
	it('moves to the neighbouring lane keeping the position where it fits', () => {
		expect(stepPlacement(counts, { cardId: '1', lane: 'a', index: 2 }, 'right')).toEqual({
			cardId: '1',
			lane: 'b',
			index: 0
		});
		expect(stepPlacement(counts, { cardId: '1', lane: 'b', index: 0 }, 'right')?.lane).toBe('c');
		expect(stepPlacement(counts, { cardId: '1', lane: 'a', index: 0 }, 'left')).toBeNull();
		expect(stepPlacement(counts, { cardId: '1', lane: 'c', index: 0 }, 'right')).toBeNull();
	});
	it('moves up and down within the lane, not past its ends', () => {
		expect(stepPlacement(counts, { cardId: '1', lane: 'a', index: 0 }, 'down')?.index).toBe(1);
		expect(stepPlacement(counts, { cardId: '1', lane: 'a', index: 2 }, 'down')).toBeNull();
		expect(stepPlacement(counts, { cardId: '1', lane: 'a', index: 0 }, 'up')).toBeNull();
	});
});
