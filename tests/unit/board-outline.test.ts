import * as Y from 'yjs';
import { describe, expect, test } from 'vitest';
import {
	addCard,
	mergeCards,
	readBoard,
	seedBoard,
	setCardText
} from '../../src/lib/domain/board/doc';
import { outlineBoard } from '../../src/lib/domain/board/outline';
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
		const slim = { ...SOURCE, reportTitle: '', sectionLabel: '', quote: '' };
		expect(card).toEqual({ ...fullCard, note: '', sources: [slim], ownSources: [slim] });
	});

	test('slims sources and notes wherever a card holds them (merged cards, own sources)', () => {
		const doc = new Y.Doc();
		seedBoard(
			doc,
			[
				{ title: 'T', titleEn: '', note: 'N', kind: 'issue', sources: [SOURCE] },
				{ title: '元', titleEn: '', note: '元の本文', kind: 'issue', sources: [SOURCE] }
			],
			AUTHOR,
			1
		);
		const [target, merged] = readBoard(doc).lanes[0]!.cards;
		mergeCards(doc, target!.id, [merged!.id], AUTHOR, 2);
		const full = readBoard(doc);
		const card = full.lanes[0]!.cards[0]!;
		expect(card.mergedFrom).toHaveLength(1);
		const slim = { ...SOURCE, reportTitle: '', sectionLabel: '', quote: '' };
		const out = outlineBoard(full).lanes[0]!.cards[0]!;
		// Equal sources are one object, so the page data writes them once.
		expect(out.ownSources[0]).toBe(out.sources[0]);
		expect(out).toEqual({
			...card,
			note: '',
			sources: [slim],
			ownSources: [slim],
			mergedFrom: [{ ...card.mergedFrom[0]!, note: '', sources: [slim] }]
		});
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
