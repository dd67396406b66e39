import * as Y from 'yjs';
import { describe, expect, test } from 'vitest';
import {
	addCard,
	addComment,
	addLabel,
	addLane,
	archiveCard,
	BoardError,
	clipText,
	deleteCard,
	deleteComment,
	deleteLabel,
	deleteLane,
	getCard,
	hideComment,
	isDeletable,
	mayDeleteCard,
	mayUnmerge,
	mergeCards,
	moveCard,
	moveLabel,
	moveLane,
	readBoard,
	readComments,
	renameLane,
	restoreCard,
	seedBoard,
	setCardLabel,
	setCardText,
	setGroup,
	splitCard,
	unhideComment,
	unmergeCard,
	updateLabel,
	type Provenance,
	type SeedCard
} from '../../src/lib/domain/board/doc';
import { keyAt } from '../../src/lib/domain/board/order';
import { CARD_FIELDS, ROOTS } from '../../src/lib/domain/board/schema';

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

	test('splitting and editing never drop provenance', () => {
		const doc = seeded(1);
		const [c0] = laneOf(doc, 'unsorted').cards;
		setCardText(doc, c0!.id, 'title', '全く別の言葉に書き換えた');
		const part = splitCard(doc, c0!.id, { title: '後半部分', author, now: 2 });
		const cards = laneOf(doc, 'unsorted').cards;
		expect(cards.map((c) => c.id)).toEqual([c0!.id, part]);
		expect(cards[1]!.sources).toEqual(cards[0]!.sources);
		expect(cards[1]!.splitFrom).toBe(c0!.id);
		// A split of a card that others were merged into carries what the card shows.
		const doc2 = seeded(2);
		const [d0, d1] = laneOf(doc2, 'unsorted').cards;
		mergeCards(doc2, d0!.id, [d1!.id], author, 4);
		const piece = splitCard(doc2, d0!.id, { title: '一部', author, now: 5 });
		expect(getCard(doc2, piece)!.ownSources.map((s) => s.itemId)).toEqual([
			'cocn25-001',
			'cocn25-002'
		]);
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

const bob = { id: 2, name: '佐藤' };
const cardsOf = (doc: Y.Doc) => readBoard(doc).lanes.flatMap((l) => l.cards);
const code = (f: () => unknown) => {
	try {
		f();
	} catch (e) {
		if (e instanceof BoardError) return e.code;
		throw e;
	}
	return null;
};

describe('merging keeps every contribution and can be undone', () => {
	test('merged cards keep their wording, author and sources; the target shows them all', () => {
		const doc = seeded(3);
		const [c0, c1, c2] = laneOf(doc, 'unsorted').cards;
		const note = addCard(doc, {
			title: '佐藤の付箋',
			note: '現場の声',
			lane: c0!.lane,
			author: bob,
			now: 7
		});
		mergeCards(doc, c0!.id, [note], bob, 10);
		mergeCards(doc, c0!.id, [c2!.id], author, 20);
		mergeCards(doc, c0!.id, [c1!.id], bob, 15);
		const view = readBoard(doc);
		expect(cardsOf(doc).map((c) => c.id)).toEqual([c0!.id]);
		const target = cardsOf(doc)[0]!;
		// Nothing was copied into the target: its own sources stay its own.
		expect(target.ownSources.map((s) => s.itemId)).toEqual(['cocn25-001']);
		expect(target.sources.map((s) => s.itemId)).toEqual(['cocn25-001', 'cocn25-002', 'cocn25-003']);
		expect(
			target.mergedFrom.map((m) => [m.title, m.note, m.createdBy?.name, m.merge?.by.name])
		).toEqual([
			['佐藤の付箋', '現場の声', '佐藤', '佐藤'],
			['提言 1', '', '山田', '佐藤'],
			['提言 2', '', '山田', '山田']
		]);
		expect(target.mergedFrom.map((m) => m.merge?.at)).toEqual([10, 15, 20]);
		expect(view.archived.map((c) => c.mergedInto)).toEqual([c0!.id, c0!.id, c0!.id]);
		expect(view.archived.find((c) => c.id === note)!.merge).toEqual({ by: bob, at: 10 });
		expect(getCard(doc, c0!.id)).toEqual(target);
	});

	test('merges chain: a card merged into a merged card still counts, once per source', () => {
		const doc = seeded(3);
		const [c0, c1, c2] = laneOf(doc, 'unsorted').cards;
		const copy = splitCard(doc, c2!.id, { title: '同じ出典', author, now: 2 });
		mergeCards(doc, c1!.id, [c2!.id, copy], author, 3);
		mergeCards(doc, c0!.id, [c1!.id], author, 4);
		const target = getCard(doc, c0!.id)!;
		expect(target.sources.map((s) => s.itemId)).toEqual(['cocn25-001', 'cocn25-002', 'cocn25-003']);
		expect(target.mergedFrom.map((m) => [m.id, m.mergedInto])).toEqual([
			[c1!.id, c0!.id],
			...[
				[c2!.id, c1!.id],
				[copy, c1!.id]
			].sort((a, b) => (a[0]! < b[0]! ? -1 : 1))
		]);
	});

	test('concurrent opposite merges do not loop, and either can be undone', () => {
		const { a, b, sync } = pair(2);
		const [c0, c1] = laneOf(a, 'unsorted').cards;
		mergeCards(a, c0!.id, [c1!.id], author, 1);
		mergeCards(b, c1!.id, [c0!.id], bob, 1);
		sync();
		expect(readBoard(a).archived).toHaveLength(2);
		expect(getCard(a, c0!.id)!.sources.map((s) => s.itemId)).toEqual(['cocn25-001', 'cocn25-002']);
		unmergeCard(a, c0!.id);
		expect(cardsOf(a).map((c) => c.id)).toEqual([c0!.id]);
		expect(cardsOf(a)[0]!.mergedFrom.map((m) => m.id)).toEqual([c1!.id]);
	});

	test('unmerging puts the card back in its lane with its own sources only', () => {
		const doc = seeded(2);
		const [c0, c1] = laneOf(doc, 'unsorted').cards;
		mergeCards(doc, c0!.id, [c1!.id], bob, 5);
		unmergeCard(doc, c1!.id);
		expect(laneOf(doc, 'unsorted').cards.map((c) => c.id)).toEqual([c0!.id, c1!.id]);
		const [t, back] = laneOf(doc, 'unsorted').cards;
		expect(t!.sources.map((s) => s.itemId)).toEqual(['cocn25-001']);
		expect(t!.mergedFrom).toEqual([]);
		expect(back).toMatchObject({ archived: false, mergedInto: null, merge: null });
		expect(code(() => unmergeCard(doc, c1!.id))).toBe('invalid');
	});

	test('only cards on the lanes merge; the undo is offered to its author and facilitators', () => {
		const doc = seeded(3);
		const [c0, c1, c2] = laneOf(doc, 'unsorted').cards;
		expect(code(() => mergeCards(doc, c0!.id, [c0!.id], author, 1))).toBe('invalid');
		expect(code(() => mergeCards(doc, c0!.id, ['nope'], author, 1))).toBe('not_found');
		archiveCard(doc, c2!.id);
		expect(code(() => mergeCards(doc, c0!.id, [c2!.id], author, 1))).toBe('invalid');
		expect(code(() => mergeCards(doc, c2!.id, [c1!.id], author, 1))).toBe('invalid');
		mergeCards(doc, c0!.id, [c1!.id], bob, 1);
		const merged = getCard(doc, c1!.id)!;
		expect(mayUnmerge(merged, bob.id, 'participant')).toBe(true);
		expect(mayUnmerge(merged, author.id, 'participant')).toBe(false);
		expect(mayUnmerge(merged, author.id, 'facilitator')).toBe(true);
		expect(mayUnmerge(merged, bob.id, 'observer')).toBe(false);
		expect(mayUnmerge(getCard(doc, c0!.id)!, bob.id, 'facilitator')).toBe(false);
	});

	test('a board written before merges were recorded reads the same (copied sources, no merge field)', () => {
		const doc = seeded(3);
		const [c0, c1, c2] = laneOf(doc, 'unsorted').cards;
		// What the earlier mergeCards did: copy sources into the target, no `merge` record.
		const cards = doc.getMap<Y.Map<unknown>>(ROOTS.cards);
		doc.transact(() => {
			const target = cards.get(c0!.id)!.get('sources') as Y.Array<Provenance>;
			for (const id of [c1!.id, c2!.id]) {
				const m = cards.get(id)!;
				target.push((m.get('sources') as Y.Array<Provenance>).toArray().map((s) => ({ ...s })));
				m.delete('merge');
				m.set('archived', true);
				m.set('mergedInto', c0!.id);
			}
			cards.get(c0!.id)!.delete('merge');
		});
		const target = getCard(doc, c0!.id)!;
		expect(target.sources.map((s) => s.itemId)).toEqual(['cocn25-001', 'cocn25-002', 'cocn25-003']);
		expect(target.mergedFrom.map((m) => [m.title, m.merge]).sort()).toEqual([
			['提言 1', null],
			['提言 2', null]
		]);
		expect(target.merge).toBeNull();
		expect(mayUnmerge(getCard(doc, c1!.id)!, author.id, 'participant')).toBe(false);
		expect(mayUnmerge(getCard(doc, c1!.id)!, author.id, 'facilitator')).toBe(true);
	});
});

describe('archive, restore and delete', () => {
	test('an archived card leaves the lanes, keeps everything, and comes back where it was', () => {
		const doc = seeded(3);
		const [, c1] = laneOf(doc, 'unsorted').cards;
		archiveCard(doc, c1!.id);
		const view = readBoard(doc);
		expect(view.lanes.flatMap((l) => l.cards)).toHaveLength(2);
		expect(view.archived).toMatchObject([{ id: c1!.id, archived: true, mergedInto: null }]);
		expect(view.archived[0]!.sources).toHaveLength(1);
		archiveCard(doc, c1!.id);
		restoreCard(doc, c1!.id);
		expect(laneOf(doc, 'unsorted').cards.map((c) => c.title)).toEqual([
			'提言 0',
			'提言 1',
			'提言 2'
		]);
		expect(readBoard(doc).archived).toEqual([]);
	});

	test('a merged card is not archived or restored by hand (unmerge is its undo)', () => {
		const doc = seeded(2);
		const [c0, c1] = laneOf(doc, 'unsorted').cards;
		mergeCards(doc, c0!.id, [c1!.id], author, 1);
		expect(code(() => restoreCard(doc, c1!.id))).toBe('invalid');
		expect(code(() => archiveCard(doc, c1!.id))).toBe('invalid');
		expect(code(() => archiveCard(doc, 'missing'))).toBe('not_found');
	});

	test('a sourceless card without comments is deleted by its author or a facilitator, with its labels', () => {
		const doc = seeded(1);
		const lane = laneOf(doc, 'unsorted').id;
		const typo = addCard(doc, { title: 'あｓｄｆ', lane, author: bob, now: 1 });
		const label = addLabel(doc, { name: '要検討', color: 'red' });
		setCardLabel(doc, typo, label, true);
		expect(code(() => deleteCard(doc, typo, author, 'participant'))).toBe('forbidden');
		expect(code(() => deleteCard(doc, typo, bob, 'observer'))).toBe('forbidden');
		expect(mayDeleteCard(getCard(doc, typo)!, bob.id, 'participant')).toBe(true);
		expect(isDeletable(getCard(doc, typo)!)).toBe(true);
		deleteCard(doc, typo, bob, 'participant');
		expect(getCard(doc, typo)).toBeNull();
		expect([...doc.getMap(ROOTS.cardLabels).keys()]).toEqual([]);
		const other = addCard(doc, { title: '誤字', lane, author: bob, now: 2 });
		deleteCard(doc, other, author, 'facilitator');
		expect(cardsOf(doc)).toHaveLength(1);
		expect(code(() => deleteCard(doc, other, author, 'facilitator'))).toBe('not_found');
	});

	test('a card with sources, comments or merged cards is never deleted', () => {
		const doc = seeded(2);
		const [c0, c1] = laneOf(doc, 'unsorted').cards;
		expect(code(() => deleteCard(doc, c0!.id, author, 'facilitator'))).toBe('not_empty');
		const lane = c0!.lane;
		const commented = addCard(doc, { title: 'メモ', lane, author, now: 1 });
		addComment(doc, commented, { text: '賛成', author: bob, now: 2 });
		expect(code(() => deleteCard(doc, commented, author, 'facilitator'))).toBe('not_empty');
		const host = addCard(doc, { title: '受け皿', lane, author, now: 3 });
		const guest = addCard(doc, { title: '重複', lane, author, now: 3 });
		mergeCards(doc, host, [guest], author, 4);
		expect(isDeletable(getCard(doc, host)!)).toBe(false);
		expect(code(() => deleteCard(doc, host, author, 'facilitator'))).toBe('not_empty');
		// The merged card's wording is part of the host's record: it goes only after an unmerge.
		expect(code(() => deleteCard(doc, guest, author, 'participant'))).toBe('not_empty');
		expect(getCard(doc, host)!.mergedFrom.map((m) => m.id)).toEqual([guest]);
		unmergeCard(doc, guest);
		deleteCard(doc, guest, author, 'participant');
		expect(getCard(doc, host)!.mergedFrom).toEqual([]);
		expect(getCard(doc, c1!.id)).not.toBeNull();
	});
});

describe('lanes', () => {
	test('deleting a lane moves its cards, archived ones too, to the unsorted lane in one transaction', () => {
		const doc = seeded(4);
		const top = laneOf(doc, 'top').id;
		const [c0, c1, c2] = laneOf(doc, 'unsorted').cards;
		moveCard(doc, c0!.id, top, 0);
		moveCard(doc, c1!.id, top, 1);
		archiveCard(doc, c1!.id);
		let transactions = 0;
		doc.on('afterTransaction', () => transactions++);
		deleteLane(doc, top);
		expect(transactions).toBe(1);
		expect(readBoard(doc).lanes.map((l) => l.preset)).toEqual([
			'unsorted',
			'high',
			'consider',
			'hold'
		]);
		const unsorted = laneOf(doc, 'unsorted');
		expect(unsorted.cards.map((c) => c.id).sort()).toEqual(
			[c0!.id, c2!.id, unsorted.cards.find((c) => c.title === '提言 3')!.id].sort()
		);
		restoreCard(doc, c1!.id);
		expect(getCard(doc, c1!.id)!.lane).toBe(unsorted.id);
	});

	test('the unsorted lane is never deleted; custom lanes need a name; presets may go back to theirs', () => {
		const doc = seeded(1);
		const unsorted = laneOf(doc, 'unsorted').id;
		expect(code(() => deleteLane(doc, unsorted))).toBe('invalid');
		expect(code(() => deleteLane(doc, 'gone'))).toBe('not_found');
		expect(code(() => addLane(doc, '   '))).toBe('invalid');
		const id = addLane(doc, '予算\u0000');
		expect(readBoard(doc).lanes.at(-1)!.title).toBe('予算');
		expect(code(() => renameLane(doc, id, ' '))).toBe('invalid');
		renameLane(doc, unsorted, 'まだ');
		renameLane(doc, unsorted, '');
		expect(laneOf(doc, 'unsorted').title).toBe('');
		for (let i = readBoard(doc).lanes.length; i < 12; i++) addLane(doc, `L${i}`);
		expect(code(() => addLane(doc, 'one more'))).toBe('limit');
	});
});

describe('labels', () => {
	test('a facilitator defines labels; they read in order and on cards, in the labels order', () => {
		const doc = seeded(2);
		const [c0, c1] = laneOf(doc, 'unsorted').cards;
		const short = addLabel(doc, { name: ' 短期 ', color: 'green' });
		const long = addLabel(doc, { name: '長期', color: 'blue' });
		expect(readBoard(doc).labels.map((l) => [l.name, l.color])).toEqual([
			['短期', 'green'],
			['長期', 'blue']
		]);
		setCardLabel(doc, c0!.id, long, true);
		setCardLabel(doc, c0!.id, short, true);
		setCardLabel(doc, c0!.id, short, true);
		expect(getCard(doc, c0!.id)!.labels).toEqual([short, long]);
		moveLabel(doc, long, 0);
		expect(getCard(doc, c0!.id)!.labels).toEqual([long, short]);
		updateLabel(doc, short, { name: '短期（1年）', color: 'teal' });
		expect(readBoard(doc).labels[1]).toMatchObject({ name: '短期（1年）', color: 'teal' });
		setCardLabel(doc, c0!.id, long, false);
		expect(getCard(doc, c0!.id)!.labels).toEqual([short]);
		setCardLabel(doc, c1!.id, short, true);
		deleteLabel(doc, short);
		expect(readBoard(doc).labels.map((l) => l.name)).toEqual(['長期']);
		expect(cardsOf(doc).map((c) => c.labels)).toEqual([[], []]);
		expect([...doc.getMap(ROOTS.cardLabels).keys()]).toEqual([]);
	});

	test('labels refuse bad input and respect LIMITS; two people labelling one card both stick', () => {
		const doc = seeded(1);
		const [c0] = laneOf(doc, 'unsorted').cards;
		expect(code(() => addLabel(doc, { name: '  ', color: 'red' }))).toBe('invalid');
		expect(code(() => addLabel(doc, { name: 'x', color: 'pink' as 'red' }))).toBe('invalid');
		const id = addLabel(doc, { name: 'あ'.repeat(100), color: 'red' });
		expect(readBoard(doc).labels[0]!.name).toHaveLength(30);
		expect(code(() => updateLabel(doc, id, { name: '' }))).toBe('invalid');
		expect(code(() => setCardLabel(doc, c0!.id, 'nope', true))).toBe('not_found');
		expect(code(() => setCardLabel(doc, 'nope', id, true))).toBe('not_found');
		for (let i = 1; i < 12; i++) addLabel(doc, { name: `L${i}`, color: 'gray' });
		expect(code(() => addLabel(doc, { name: 'too many', color: 'gray' }))).toBe('limit');

		const { a, b, sync } = pair(1);
		const card = laneOf(a, 'unsorted').cards[0]!.id;
		const x = addLabel(a, { name: 'x', color: 'red' });
		const y = addLabel(a, { name: 'y', color: 'blue' });
		sync();
		setCardLabel(a, card, x, true);
		setCardLabel(b, card, y, true);
		sync();
		expect(getCard(a, card)!.labels).toEqual([x, y]);
		expect(getCard(b, card)!.labels).toEqual([x, y]);
	});
});

describe('comments', () => {
	test("one deletes only one's own comment; a facilitator hides and unhides any", () => {
		const doc = seeded(1);
		const [c0] = laneOf(doc, 'unsorted').cards;
		const mine = addComment(doc, c0!.id, { text: '賛成です', author, now: 1 });
		const theirs = addComment(doc, c0!.id, { text: '不適切な発言', author: bob, now: 2 });
		expect(code(() => deleteComment(doc, c0!.id, theirs, author))).toBe('forbidden');
		expect(code(() => deleteComment(doc, c0!.id, 'nope', author))).toBe('not_found');
		hideComment(doc, c0!.id, theirs, author, 3);
		expect(readComments(doc, c0!.id).map((c) => [c.text, c.hidden])).toEqual([
			['賛成です', null],
			['不適切な発言', { by: author, at: 3 }]
		]);
		expect(code(() => hideComment(doc, c0!.id, 'nope', author, 3))).toBe('not_found');
		unhideComment(doc, theirs);
		expect(readComments(doc, c0!.id)[1]!.hidden).toBeNull();
		deleteComment(doc, c0!.id, mine, author);
		expect(readComments(doc, c0!.id).map((c) => c.id)).toEqual([theirs]);
		expect(getCard(doc, c0!.id)!.comments).toBe(1);
	});

	test('INP-02 INP-03 writers clip to LIMITS and drop control characters', () => {
		const doc = seeded(1);
		const [c0] = laneOf(doc, 'unsorted').cards;
		setCardText(doc, c0!.id, 'note', 'ok\u0007 bell\ttab\nline');
		expect(getCard(doc, c0!.id)!.note).toBe('ok bell\ttab\nline');
		addComment(doc, c0!.id, { text: '\u0001コメント\u007f', author, now: 1 });
		expect(readComments(doc, c0!.id)[0]!.text).toBe('コメント');
		expect(code(() => addComment(doc, c0!.id, { text: '\u0000 ', author, now: 1 }))).toBe(
			'invalid'
		);
		// A clip never splits a surrogate pair.
		setCardText(doc, c0!.id, 'title', 'あ'.repeat(299) + '😀');
		expect(getCard(doc, c0!.id)!.title).toBe('あ'.repeat(299));
		expect(clipText('a\u0000b', 10)).toBe('ab');
		expect(code(() => addCard(doc, { title: '\u0002', lane: c0!.lane, author, now: 1 }))).toBe(
			'invalid'
		);
		for (let i = readComments(doc, c0!.id).length; i < 200; i++)
			addComment(doc, c0!.id, { text: `c${i}`, author, now: i });
		expect(code(() => addComment(doc, c0!.id, { text: 'one more', author, now: 1 }))).toBe('limit');
		expect(readComments(doc, c0!.id)).toHaveLength(200);
	});
});

describe('seeding', () => {
	test('a board seeded with lanes puts each card in its lane and keeps an unsorted lane', () => {
		const doc = new Y.Doc();
		const cards = seedCards(3);
		seedBoard(
			doc,
			[{ ...cards[0]!, lane: 'p' }, cards[1]!, { ...cards[2]!, lane: 'missing' }],
			author,
			1,
			[
				{ key: 'p', title: '最優先（前回）', preset: 'top' },
				{ key: 'c', title: '予算', preset: 'custom' }
			]
		);
		const view = readBoard(doc);
		expect(view.lanes.map((l) => [l.preset, l.title, l.cards.map((c) => c.title)])).toEqual([
			['unsorted', '', ['提言 1', '提言 2']],
			['top', '最優先（前回）', ['提言 0']],
			['custom', '予算', []]
		]);
		const fields = [...doc.getMap<Y.Map<unknown>>(ROOTS.cards).values()][0]!;
		expect([...fields.keys()].sort()).toEqual(Object.keys(CARD_FIELDS).sort());
	});
});

test('unknown kinds, presets and colours written by a crafted client read as safe defaults', () => {
	const doc = seeded(1);
	const [c0] = laneOf(doc, 'unsorted').cards;
	const label = addLabel(doc, { name: 'x', color: 'red' });
	doc.getMap<Y.Map<unknown>>(ROOTS.cards).get(c0!.id)!.set('kind', 'virus');
	doc.getMap<Y.Map<unknown>>(ROOTS.labels).get(label)!.set('color', 'url(javascript:1)');
	doc.getMap<Y.Map<unknown>>(ROOTS.lanes).get(c0!.lane)!.set('preset', 'evil');
	const view = readBoard(doc);
	expect(view.lanes.map((l) => l.preset)).toEqual(['custom', 'top', 'high', 'consider', 'hold']);
	expect(view.lanes[0]!.cards[0]!.kind).toBe('note');
	expect(view.labels[0]!.color).toBe('gray');
});

test('malformed sources written by a crafted client are not read; good ones keep exactly their fields', () => {
	const doc = seeded(1);
	const [c0] = laneOf(doc, 'unsorted').cards;
	const sources = doc
		.getMap<Y.Map<unknown>>(ROOTS.cards)
		.get(c0!.id)!
		.get('sources') as Y.Array<unknown>;
	sources.push([
		{ itemId: 'x' },
		'text',
		{ ...source('y'), kind: 'toString' },
		{ ...source('z'), extra: 1 }
	]);
	expect(getCard(doc, c0!.id)!.sources).toEqual([source('cocn25-001'), source('z')]);
});
