import {
	addCard,
	addLabel,
	mergeCards,
	readBoard,
	setCardLabel,
	unmergeCard
} from '../../src/lib/domain/board/doc';
import { boardExportV3, type BoardExportV3 } from '../../src/lib/domain/exports/schema';
import { craftedClient } from './crafted-client';
import { expect, makeBoard, test } from './fixtures';
import { person, post } from './votes-helpers';

/**
 * A merge keeps the merged card's wording and author, through the realtime server and into the
 * exports; undoing it puts the card back. Written by two realtime clients outside the UI (the
 * board page has its own tests), read back as the facilitator downloads it.
 */
test('a merge and labels reach the JSON and Markdown exports with who wrote what; unmerge undoes it', async ({
	browser
}) => {
	const fac = await person(browser, '司会 F', 'government');
	const p = await person(browser, '参加者 P', 'academia');
	const id = await makeBoard(fac.user, [[p.user, 'participant']]);
	expect((await post(fac, `/boards/${id}/facilitation?/phase`, { phase: 'sort' })).status()).toBe(
		303
	);

	const facDoc = await craftedClient(fac.user, id);
	const pDoc = await craftedClient(p.user, id);
	const target = readBoard(pDoc.doc).lanes[0]!.cards[0]!;
	const label = addLabel(facDoc.doc, { name: '短期', color: 'green' });
	await expect.poll(() => readBoard(pDoc.doc).labels.length).toBe(1);
	setCardLabel(pDoc.doc, target.id, label, true);
	const by = { id: p.user.id, name: '参加者 P' };
	const note = addCard(pDoc.doc, {
		title: '地方大学の視点',
		note: '地域の産学連携を忘れずに',
		lane: target.lane,
		author: by,
		now: Date.now()
	});
	mergeCards(pDoc.doc, target.id, [note], by, Date.now());

	const exported = async (): Promise<BoardExportV3> => {
		const r = await fac.context.request.get(`/boards/${id}/export?format=json`);
		return boardExportV3.parse(await r.json());
	};
	const cardIn = (json: BoardExportV3, cardId: string) =>
		json.lanes.flatMap((l) => l.cards).find((c) => c.id === cardId);
	await expect
		.poll(async () => cardIn(await exported(), target.id)?.mergedFrom)
		.toEqual([
			{
				title: '地方大学の視点',
				note: '地域の産学連携を忘れずに',
				author: '参加者 P',
				mergedBy: '参加者 P'
			}
		]);
	const json = await exported();
	expect(cardIn(json, target.id)!.labels).toEqual(['短期']);
	expect(cardIn(json, target.id)!.author).toBe('司会 F');
	// The merged card is counted nowhere but inside the card it went into.
	expect(cardIn(json, note)).toBeUndefined();

	const md = await (await fac.context.request.get(`/boards/${id}/export?format=md`)).text();
	expect(md).toContain('統合元: 地方大学の視点（参加者 P）: 地域の産学連携を忘れずに');
	expect(md).toContain(`${target.title} 〔短期〕（司会 F）`);

	unmergeCard(pDoc.doc, note);
	await expect.poll(async () => cardIn(await exported(), note)?.title).toBe('地方大学の視点');
	expect(cardIn(await exported(), target.id)!.mergedFrom).toEqual([]);

	facDoc.destroy();
	pDoc.destroy();
	await fac.context.close();
	await p.context.close();
});
