import * as Y from 'yjs';
import { describe, expect, test } from 'vitest';
import { addCard, readBoard, seedBoard, setCardText } from '../../src/lib/domain/board/doc';
import { OUTLINE_CARDS_PER_LANE, outlineBoard } from '../../src/lib/domain/board/outline';
import { boardOutline } from '../../src/lib/server/boards/board-outline';
import { changeBoardDoc, readBoardDoc } from '../../src/lib/server/collab/index';
import { FAST } from '../helpers/collab';
import { serverPerTest } from '../helpers/collab-server';

const AUTHOR = { id: 1, name: '司会' };
const SOURCE = {
	reportSlug: 'cocn-7th-basic-plan-2025',
	reportTitle: '第7期科学技術・イノベーション基本計画への提言',
	itemId: 'cocn25-001',
	kind: 'proposal' as const,
	sectionId: 'cocn25-s1',
	sectionLabel: '1 はじめに',
	quote: '長い引用文'.repeat(40)
};

describe('outlineBoard', () => {
	test('keeps lanes, order, titles and counts and leaves out notes and quotes', () => {
		const doc = new Y.Doc();
		seedBoard(
			doc,
			[
				{
					title: '提言',
					titleEn: 'A proposal',
					note: '要約'.repeat(50),
					kind: 'proposal',
					sources: [SOURCE]
				}
			],
			AUTHOR,
			1
		);
		const full = readBoard(doc);
		const outline = outlineBoard(full);
		expect(outline.lanes.map((l) => [l.id, l.title, l.cards.length])).toEqual(
			full.lanes.map((l) => [l.id, l.title, l.cards.length])
		);
		const [card] = outline.lanes.flatMap((l) => l.cards);
		const [fullCard] = full.lanes.flatMap((l) => l.cards);
		const slimSource = { ...SOURCE, reportTitle: '', sectionLabel: '', quote: '' };
		expect(card).toEqual({
			...fullCard,
			note: '',
			sources: [slimSource],
			ownSources: [slimSource]
		});
	});

	test('slims sources and notes wherever a card holds them (merged cards, own sources)', () => {
		const doc = new Y.Doc();
		seedBoard(
			doc,
			[{ title: 'T', titleEn: '', note: 'N', kind: 'issue', sources: [SOURCE] }],
			AUTHOR,
			1
		);
		const full = readBoard(doc);
		const card = full.lanes[0]!.cards[0]!;
		const merged = {
			id: 'merged',
			title: '元',
			createdBy: AUTHOR,
			createdAt: 1,
			mergedInto: card.id,
			merge: { by: AUTHOR, at: 2 }
		};
		const extended = {
			...full,
			lanes: [
				{
					...full.lanes[0]!,
					cards: [
						{
							...card,
							ownSources: [SOURCE],
							mergedFrom: [{ ...merged, note: '元の本文', sources: [SOURCE] }]
						}
					]
				}
			]
		};
		const slim = { ...SOURCE, reportTitle: '', sectionLabel: '', quote: '' };
		const out = outlineBoard(extended).lanes[0]!.cards[0]!;
		// Equal sources are one object, so the page data writes them once.
		expect(out.ownSources[0]).toBe(out.sources[0]);
		expect(out).toEqual({
			...card,
			note: '',
			sources: [slim],
			ownSources: [slim],
			mergedFrom: [{ ...merged, note: '', sources: [slim] }]
		});
	});
});

describe('outlineBoard cuts long lanes short', () => {
	test('keeps the first cards of a long lane in order and counts the rest; short lanes whole', () => {
		const doc = new Y.Doc();
		seedBoard(
			doc,
			[{ title: 'seed', titleEn: '', note: '', kind: 'issue', sources: [] }],
			AUTHOR,
			1
		);
		const lanes = readBoard(doc).lanes;
		const long = lanes.find((l) => l.preset === 'unsorted')!;
		const total = OUTLINE_CARDS_PER_LANE + 7;
		for (let i = 0; i < total; i++)
			addCard(doc, { title: `c${i}`, lane: long.id, author: AUTHOR, now: 2 });
		const full = readBoard(doc);
		const outline = outlineBoard(full);
		const fullLong = full.lanes.find((l) => l.id === long.id)!;
		const outLong = outline.lanes.find((l) => l.id === long.id)!;
		expect(outLong.cards.map((c) => c.id)).toEqual(
			fullLong.cards.slice(0, OUTLINE_CARDS_PER_LANE).map((c) => c.id)
		);
		expect(outline.more).toEqual({ [long.id]: fullLong.cards.length - OUTLINE_CARDS_PER_LANE });
		// Every other lane is whole, and the lane count plus `more` is the true count.
		for (const l of full.lanes) {
			const o = outline.lanes.find((x) => x.id === l.id)!;
			expect(o.cards.length + (outline.more[l.id] ?? 0)).toBe(l.cards.length);
		}
		expect(outlineBoard(full, 3).more[long.id]).toBe(fullLong.cards.length - 3);
	});
});

describe('boardOutline', () => {
	const start = serverPerTest();

	test('reads the live document once per version and follows every change', async () => {
		const s = await start(FAST);
		const board = await s.board();
		await changeBoardDoc(
			s.app,
			board,
			(doc) =>
				seedBoard(
					doc,
					[{ title: '提言', titleEn: '', note: '要約', kind: 'proposal', sources: [SOURCE] }],
					AUTHOR,
					1
				),
			'test'
		);
		const first = await boardOutline(s.app, board);
		// Same version: the same (frozen) object, not a new read.
		expect(await boardOutline(s.app, board)).toBe(first);
		expect(Object.isFrozen(first.lanes[0])).toBe(true);

		const lane = first.lanes[0]!.id;
		await changeBoardDoc(
			s.app,
			board,
			(doc) => {
				const id = addCard(doc, { title: '新しいカード', lane, author: AUTHOR, now: 2 });
				setCardText(doc, id, 'note', '本文');
			},
			'test'
		);
		const second = await boardOutline(s.app, board);
		expect(second).not.toBe(first);
		const stored = await readBoardDoc(s.app, board);
		expect(second).toEqual(outlineBoard(readBoard(stored)));
		stored.destroy();
		expect(second.lanes.flatMap((l) => l.cards.map((c) => c.title))).toContain('新しいカード');
	});
});
