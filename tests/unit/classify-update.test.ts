import * as Y from 'yjs';
import { describe, expect, test } from 'vitest';
import { classifyUpdate } from '../../src/lib/domain/board/classify-update';
import {
	addCard,
	addComment,
	addLane,
	mergeCards,
	moveCard,
	readBoard,
	renameLane,
	seedBoard,
	setCardText,
	splitCard
} from '../../src/lib/domain/board/doc';
import {
	mayChange,
	writeFacilitation,
	DEFAULT_FACILITATION
} from '../../src/lib/domain/board/facilitation';

const author = { id: 1, name: '山田' };

/** The server's document and a client replica; `change` runs on the client, returns the diff. */
function setup() {
	const server = new Y.Doc();
	seedBoard(
		server,
		[1, 2, 3].map((i) => ({
			title: `提言 ${i}`,
			titleEn: '',
			note: '',
			kind: 'proposal' as const,
			sources: []
		})),
		author,
		0
	);
	const client = new Y.Doc();
	Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
	const view = readBoard(client);
	const cards = view.lanes.flatMap((l) => l.cards);
	const lane = (preset: string) => view.lanes.find((l) => l.preset === preset)!.id;
	/** Classifies the client's change against the server, then lets the server accept it. */
	const diff = (change: (doc: Y.Doc) => void) => {
		const sv = Y.encodeStateVector(client);
		change(client);
		const update = Y.encodeStateAsUpdate(client, sv);
		const r = classifyUpdate(server, update);
		Y.applyUpdate(server, update);
		return r;
	};
	return { server, client, cards, lane, diff };
}

describe('classifying client updates', () => {
	test('each kind of board change is recognised', () => {
		const { cards, lane, diff } = setup();
		expect([
			...diff((d) => addCard(d, { title: '新規', lane: lane('top'), author, now: 1 })).kinds
		]).toEqual(['add_card']);
		expect([...diff((d) => moveCard(d, cards[0]!.id, lane('top'), 0)).kinds]).toEqual([
			'move_card'
		]);
		expect([...diff((d) => setCardText(d, cards[1]!.id, 'title', '書き換え')).kinds]).toEqual([
			'edit_card'
		]);
		expect([
			...diff((d) => addComment(d, cards[1]!.id, { text: 'いいね', author, now: 2 })).kinds
		]).toEqual(['comment']);
		expect([...diff((d) => mergeCards(d, cards[0]!.id, [cards[2]!.id], author, 3)).kinds]).toEqual([
			'merge_card'
		]);
		expect([...diff((d) => addLane(d, '予算')).kinds]).toEqual(['lanes']);
		expect([...diff((d) => renameLane(d, lane('hold'), '保留中')).kinds]).toEqual(['lanes']);
		expect(
			diff((d) => splitCard(d, cards[1]!.id, { title: '後半', author, now: 3 })).kinds.has(
				'add_card'
			)
		).toBe(true);
	});

	test('writing server-owned state is flagged, however it is dressed', () => {
		const { diff } = setup();
		const forged = diff((d) =>
			writeFacilitation(d, { ...DEFAULT_FACILITATION, locked: false, phase: 'sort' })
		);
		expect(forged.serverOnly).toBe(true);
		expect(diff((d) => d.getMap('votes').set('x', { voted: 99 })).serverOnly).toBe(true);
		// A root the board does not have is an ordinary edit, bound by phase rules.
		const invented = diff((d) => d.getMap('evil').set('x', 1));
		expect(invented.serverOnly).toBe(false);
		expect([...invented.kinds]).toEqual(['edit_card']);
		expect(diff((d) => d.getMap('meta').set('version', 2)).serverOnly).toBe(true);
	});

	test('deletions are traced too: deleting a card is a card edit, a comment a comment', () => {
		const { server, client, cards, diff } = setup();
		addComment(server, cards[0]!.id, { text: '消される', author, now: 1 });
		Y.applyUpdate(client, Y.encodeStateAsUpdate(server, Y.encodeStateVector(client)));
		expect([...diff((d) => d.getMap('cards').delete(cards[1]!.id)).kinds]).toEqual(['edit_card']);
		expect([
			...diff((d) => (d.getMap('comments').get(cards[0]!.id) as Y.Array<unknown>).delete(0, 1))
				.kinds
		]).toEqual(['comment']);
	});

	test('phase rules follow from the kinds: no new cards while voting, comments allowed', () => {
		const { cards, lane, diff } = setup();
		const voting = { phase: 'vote' as const, locked: false };
		const add = diff((d) => addCard(d, { title: 'x', lane: lane('top'), author, now: 1 }));
		expect([...add.kinds].every((k) => mayChange(voting, 'participant', k))).toBe(false);
		const comment = diff((d) => addComment(d, cards[0]!.id, { text: 'y', author, now: 1 }));
		expect([...comment.kinds].every((k) => mayChange(voting, 'participant', k))).toBe(true);
		expect([...add.kinds].every((k) => mayChange(voting, 'facilitator', k))).toBe(true);
		expect(mayChange({ phase: 'sort', locked: true }, 'participant', 'comment')).toBe(false);
	});

	test('an update whose parent is nowhere to be found is reported unknown', () => {
		const orphan = new Y.Doc();
		orphan.getMap('cards').set('zzzz', new Y.Map());
		const sv = Y.encodeStateVector(orphan);
		(orphan.getMap('cards').get('zzzz') as Y.Map<unknown>).set('lane', 'x');
		const { server } = setup();
		const r = classifyUpdate(server, Y.encodeStateAsUpdate(orphan, sv));
		expect(r.unknown).toBe(true);
	});
});
