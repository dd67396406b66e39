import * as Y from 'yjs';
import { describe, expect, test } from 'vitest';
import {
	addCard,
	addComment,
	addLane,
	mergeCards,
	moveCard,
	moveLane,
	readBoard,
	readComments,
	renameLane,
	seedBoard,
	setCardText,
	setGroup,
	splitCard,
	type Provenance,
	type SeedCard
} from '../../src/lib/domain/board/doc';
import { keyAt } from '../../src/lib/domain/board/order';

const author = { id: 1, name: '山田' };
const source = (itemId: string): Provenance => ({
	reportSlug: 'cocn-7th-basic-plan-2025',
	reportTitle: '次期（第7期）科学技術・イノベーション基本計画に向けて',
	itemId,
	kind: 'proposal',
	sectionId: 'cocn25-s1',
	sectionLabel: '1. 科学技術政策ガバナンス強化',
	quote: '国民が目指す国家像を描き、共有を図るべきである'
});
const seedCards = (n: number): SeedCard[] =>
	Array.from({ length: n }, (_, i) => ({
		title: `提言 ${i}`,
		titleEn: `Proposal ${i}`,
		note: '',
		kind: 'proposal',
		sources: [source(`cocn25-${String(i + 1).padStart(3, '0')}`)]
	}));

function seeded(n = 4) {
	const doc = new Y.Doc();
	seedBoard(doc, seedCards(n), author, 1000);
	return doc;
}

/** Two replicas that exchange updates like two browsers through the server. */
function pair(n = 4) {
	const a = seeded(n);
	const b = new Y.Doc();
	Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
	const sync = () => {
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
		Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
	};
	return { a, b, sync };
}

const laneOf = (doc: Y.Doc, preset: string) =>
	readBoard(doc).lanes.find((l) => l.preset === preset)!;

describe('board document', () => {
	test('a seeded board has the priority lanes in order and every card unsorted, with provenance', () => {
		const doc = seeded(3);
		const view = readBoard(doc);
		expect(view.lanes.map((l) => l.preset)).toEqual([
			'unsorted',
			'top',
			'high',
			'consider',
			'hold'
		]);
		const unsorted = laneOf(doc, 'unsorted');
		expect(unsorted.cards.map((c) => c.title)).toEqual(['提言 0', '提言 1', '提言 2']);
		expect(unsorted.cards[0]!.sources[0]!.itemId).toBe('cocn25-001');
		expect(unsorted.cards[0]!.titleEn).toBe('Proposal 0');
	});

	test('moving a card to a lane and a position orders it there', () => {
		const doc = seeded(4);
		const top = laneOf(doc, 'top').id;
		const [c0, c1, c2] = laneOf(doc, 'unsorted').cards;
		moveCard(doc, c2!.id, top, 0);
		moveCard(doc, c0!.id, top, 0);
		moveCard(doc, c1!.id, top, 1);
		expect(laneOf(doc, 'top').cards.map((c) => c.id)).toEqual([c0!.id, c1!.id, c2!.id]);
		moveCard(doc, c0!.id, top, 3);
		expect(laneOf(doc, 'top').cards.map((c) => c.id)).toEqual([c1!.id, c2!.id, c0!.id]);
	});

	test('concurrent moves and typing in the same title converge on both replicas', () => {
		const { a, b, sync } = pair(4);
		const top = laneOf(a, 'top').id;
		const hold = laneOf(a, 'hold').id;
		const [c0, c1] = laneOf(a, 'unsorted').cards;
		moveCard(a, c0!.id, top, 0);
		moveCard(b, c1!.id, top, 0);
		moveCard(b, c0!.id, hold, 0);
		setCardText(a, c1!.id, 'title', '提言 1（産業界）');
		setCardText(b, c1!.id, 'title', '【重要】提言 1');
		sync();
		expect(readBoard(a)).toEqual(readBoard(b));
		const title = readBoard(a)
			.lanes.flatMap((l) => l.cards)
			.find((c) => c.id === c1!.id)!.title;
		// Both edits survive: neither person's typing overwrote the other's.
		expect(title).toContain('（産業界）');
		expect(title).toContain('【重要】');
	});

	test('two cards inserted at the same spot concurrently get a stable order everywhere', () => {
		const { a, b, sync } = pair(2);
		const top = laneOf(a, 'top').id;
		const x = addCard(a, { title: 'A の付箋', lane: top, author, now: 1 });
		const y = addCard(b, { title: 'B の付箋', lane: top, author: { id: 2, name: '佐藤' }, now: 1 });
		sync();
		const orderA = laneOf(a, 'top').cards.map((c) => c.id);
		expect(orderA).toEqual(laneOf(b, 'top').cards.map((c) => c.id));
		expect(orderA.sort()).toEqual([x, y].sort());
		// Inserting between tied keys still works.
		const z = addCard(a, { title: 'C', lane: top, author, now: 2 });
		moveCard(a, z, top, 1);
		expect(laneOf(a, 'top').cards).toHaveLength(3);
	});

	test('merging keeps every source on the surviving card and archives the others', () => {
		const doc = seeded(3);
		const [c0, c1, c2] = laneOf(doc, 'unsorted').cards;
		mergeCards(doc, c0!.id, [c1!.id, c2!.id]);
		const view = readBoard(doc);
		const merged = view.lanes.flatMap((l) => l.cards).find((c) => c.id === c0!.id)!;
		expect(merged.sources.map((s) => s.itemId)).toEqual(['cocn25-001', 'cocn25-002', 'cocn25-003']);
		expect(view.archived.map((c) => c.mergedInto)).toEqual([c0!.id, c0!.id]);
		expect(view.lanes.flatMap((l) => l.cards)).toHaveLength(1);
		// Merging again with a card carrying an already-present source does not duplicate it.
		const d = splitCard(doc, c0!.id, { title: '分割', author, now: 5 });
		mergeCards(doc, c0!.id, [d]);
		expect(readBoard(doc).lanes.flatMap((l) => l.cards)[0]!.sources).toHaveLength(3);
	});

	test('splitting and editing never drop provenance', () => {
		const doc = seeded(1);
		const [c0] = laneOf(doc, 'unsorted').cards;
		setCardText(doc, c0!.id, 'title', '全く別の言葉に書き換えた');
		const part = splitCard(doc, c0!.id, { title: '後半部分', author, now: 2 });
		const cards = laneOf(doc, 'unsorted').cards;
		expect(cards.map((c) => c.id)).toEqual([c0!.id, part]);
		expect(cards[1]!.sources).toEqual(cards[0]!.sources);
		expect(cards[1]!.splitFrom).toBe(c0!.id);
	});

	test('lanes can be added, renamed and reordered; comments and groups stick', () => {
		const doc = seeded(2);
		const id = addLane(doc, '  要検討（予算） ');
		expect(readBoard(doc).lanes.at(-1)!.title).toBe('要検討（予算）');
		renameLane(doc, id, 'Budget');
		moveLane(doc, id, 0);
		expect(readBoard(doc).lanes[0]!.title).toBe('Budget');
		const [c0, c1] = laneOf(doc, 'unsorted').cards;
		addComment(doc, c0!.id, { text: ' 産業界の視点では重要 ', author, now: 3 });
		expect(readComments(doc, c0!.id).map((c) => c.text)).toEqual(['産業界の視点では重要']);
		setGroup(doc, [c0!.id, c1!.id], 'g1');
		expect(laneOf(doc, 'unsorted').cards.map((c) => c.group)).toEqual(['g1', 'g1']);
		expect(laneOf(doc, 'unsorted').cards[0]!.comments).toBe(1);
	});

	test('INP-02 limits: titles are capped, empty comments refused', () => {
		const doc = seeded(1);
		const [c0] = laneOf(doc, 'unsorted').cards;
		setCardText(doc, c0!.id, 'title', 'あ'.repeat(1000));
		expect(laneOf(doc, 'unsorted').cards[0]!.title).toHaveLength(300);
		expect(() => addComment(doc, c0!.id, { text: '   ', author, now: 1 })).toThrow();
	});

	test('keyAt puts an item at the requested index', () => {
		const list = [
			{ id: 'a', order: 'a0' },
			{ id: 'b', order: 'a1' }
		];
		expect(keyAt(list, 0) < 'a0').toBe(true);
		expect(keyAt(list, 1) > 'a0' && keyAt(list, 1) < 'a1').toBe(true);
		expect(keyAt(list, 9) > 'a1').toBe(true);
	});
});
