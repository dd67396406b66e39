import { describe, expect, test } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { readRefusal } from '../../src/lib/collab/saved';
import {
	addCard,
	addComment,
	mergeCards,
	readBoard,
	readComments,
	seedBoard,
	unmergeCard,
	type Author,
	type Provenance
} from '../../src/lib/domain/board/doc';
import { LIMITS } from '../../src/lib/domain/board/limits';
import { ROOTS } from '../../src/lib/domain/board/schema';
import type { BoardRule } from '../../src/lib/domain/board/update-rules';
import { readBoardDoc, storeInitialState } from '../../src/lib/server/collab/index';
import type { CollabLimits } from '../../src/lib/server/collab/limits';
import { MESSAGE_REFUSED } from '../../src/lib/server/collab/protocol';
import {
	connect,
	disconnect,
	logRows,
	sleep,
	synced,
	waitFor,
	type Member,
	type TestServer
} from '../helpers/collab';
import { serverPerTest } from '../helpers/collab-server';

const newServer = serverPerTest();

const PROVENANCE: Provenance = {
	reportSlug: 'r1',
	reportTitle: '報告書',
	itemId: 'i1',
	kind: 'issue',
	sectionId: 's1',
	sectionLabel: '１．課題',
	quote: '引用'
};

const authorOf = (m: Member): Author => ({ id: m.user.id, name: m.user.displayName });

/**
 * A board as the server seeds it: a seeded card with a source (S), a card written by A (note
 * card), B's comment on S, and a card (full) already holding the comment limit.
 */
async function setup(limits: Partial<CollabLimits> = {}) {
	const s = await newServer(limits);
	const fac = await s.member();
	const a = await s.member();
	const b = await s.member();
	const board = await s.board([
		[fac, 'facilitator'],
		[a, 'participant'],
		[b, 'participant']
	]);
	const seed = new Y.Doc();
	seedBoard(
		seed,
		[
			{ title: '種', titleEn: 'seed', note: '', kind: 'issue', sources: [PROVENANCE] },
			{ title: '満員', titleEn: '', note: '', kind: 'issue', sources: [] }
		],
		authorOf(fac),
		1
	);
	const view = readBoard(seed);
	const unsorted = view.lanes.find((l) => l.preset === 'unsorted')!.id;
	const [seeded, full] = view.lanes.flatMap((l) => l.cards).map((c) => c.id) as [string, string];
	const own = addCard(seed, { title: 'Aのカード', lane: unsorted, author: authorOf(a), now: 2 });
	addComment(seed, seeded, { text: 'Bの意見', author: authorOf(b), now: 3 });
	for (let i = 0; i < LIMITS.commentsPerCard; i++)
		addComment(seed, full, { text: `c${i}`, author: authorOf(b), now: 4 });
	await storeInitialState(s.db, board, Y.encodeStateAsUpdate(seed));
	return { s, fac, a, b, board, unsorted, seeded, full, own };
}

/** A Yoriai client's connection (`?saved=1`) that records the refusals it is told of. */
async function sender(s: TestServer, m: Member, board: string) {
	const p = connect(s, m, board, { params: { saved: '1' } });
	const refusals: string[] = [];
	p.messageHandlers[MESSAGE_REFUSED] = (_encoder, decoder) => {
		refusals.push(readRefusal(decoder).rule);
	};
	await synced(p);
	return { p, refusals };
}

/** A client that counts the document updates the server sends it. */
async function watcher(s: TestServer, m: Member, board: string) {
	const p = connect(s, m, board);
	await synced(p);
	let received = 0;
	p.doc.on('update', (_u: Uint8Array, origin: unknown) => {
		if (origin === p) received++;
	});
	return { p, received: () => received };
}

const cardsOf = (doc: Y.Doc) => doc.getMap<Y.Map<unknown>>(ROOTS.cards);
/** Waits until the stored board has A's own card merged into `into` (null: not merged). */
async function storedMergeIs(t: Board, into: string | null): Promise<void> {
	const end = Date.now() + 3000;
	for (;;) {
		const doc = await readBoardDoc(t.s.app, t.board);
		const now = cardsOf(doc).get(t.own)?.get('mergedInto') ?? null;
		doc.destroy();
		if (now === into) return;
		if (Date.now() > end) throw new Error(`timed out waiting for mergedInto ${into}`);
		await sleep(20);
	}
}

/** A card with every field, as `doc.ts` writes one. */
function craftedCard(author: Author, lane: string, title = 'new'): Y.Map<unknown> {
	const m = new Y.Map<unknown>();
	m.set('title', new Y.Text(title));
	m.set('note', new Y.Text(''));
	m.set('titleEn', '');
	m.set('lane', lane);
	m.set('order', 'a0');
	m.set('kind', 'note');
	m.set('sources', new Y.Array());
	m.set('group', null);
	m.set('createdBy', author);
	m.set('createdAt', 5);
	m.set('archived', false);
	m.set('mergedInto', null);
	m.set('merge', null);
	m.set('splitFrom', null);
	return m;
}

type Board = Awaited<ReturnType<typeof setup>>;

/**
 * Sends one crafted change from a fresh connection of `who` and checks the whole contract: the
 * sender is told which rule, nothing reaches another client or the store, the refusal is
 * counted, and the board still takes a legitimate change from someone else.
 */
async function expectRefused(
	t: Board,
	who: Member,
	rule: BoardRule,
	craft: (doc: Y.Doc) => void
): Promise<void> {
	const { s, board } = t;
	const other = await watcher(s, t.b === who ? t.a : t.b, board);
	const before = Y.encodeStateVector(await readBoardDoc(s.app, board));
	// Counted once the compaction that reading the board may have started is done (on
	// PostgreSQL a read does not wait for a commit in flight).
	await s.collab.registry.flush();
	const rows = await logRows(s.db, board);
	const counted = s.collab.stats.refusedByRule[rule] ?? 0;
	const { p, refusals } = await sender(s, who, board);
	craft(p.doc);
	// Large updates are test-applied in a worker first (WS-07), which takes a while to start.
	await waitFor(() => refusals.length > 0 || p.ws === null, 10_000, `refusal (${rule})`);
	expect(s.log.filter((l) => l.event === 'closing')).toEqual([]);
	expect(refusals).toEqual([rule]);
	expect(s.collab.stats.refusedByRule[rule]).toBe(counted + 1);
	await sleep(100);
	expect(other.received()).toBe(0);
	await s.collab.registry.flush();
	expect(await logRows(s.db, board)).toBe(rows);
	expect(Y.encodeStateVector(await readBoardDoc(s.app, board))).toEqual(before);
	// The sender's socket stays open, and the board keeps working for the others.
	expect(p.wsconnected).toBe(true);
	await stillWorks(t, other.p);
	disconnect(p);
	disconnect(other.p);
}

async function stillWorks(t: Board, seen: WebsocketProvider): Promise<void> {
	const { s, board, fac, seeded } = t;
	const f = connect(s, fac, board);
	await synced(f);
	const text = `まだ動く ${Math.random()}`;
	addComment(f.doc, seeded, { text, author: authorOf(fac), now: 9 });
	await waitFor(
		() => readComments(seen.doc, seeded).some((c) => c.text === text),
		3000,
		'a legitimate change after the refusal'
	);
	disconnect(f);
}

describe('the realtime server enforces the board rules (INP-02, INP-03, WS-09, AC-01, AC-03)', () => {
	test('INP-02 WS-09 over-long card titles, notes and comments are refused whole', async () => {
		const t = await setup();
		const author = authorOf(t.a);
		await expectRefused(t, t.a, 'text-length', (d) =>
			(cardsOf(d).get(t.seeded)!.get('title') as Y.Text).insert(0, 'x'.repeat(LIMITS.cardTitle))
		);
		await expectRefused(t, t.a, 'text-length', (d) =>
			(cardsOf(d).get(t.own)!.get('note') as Y.Text).insert(0, 'x'.repeat(100_085))
		);
		await expectRefused(t, t.a, 'text-length', (d) =>
			d
				.getMap<Y.Array<unknown>>(ROOTS.comments)
				.get(t.seeded)!
				.push([{ id: 'c-long', by: author, text: 'x'.repeat(10_000), at: 1 }])
		);
		await expectRefused(t, t.a, 'text-length', (d) =>
			cardsOf(d).set('long', craftedCard(author, t.unsorted, 'x'.repeat(LIMITS.cardTitle + 1)))
		);
		// Facilitators too: only phase and lock spare them.
		await expectRefused(t, t.fac, 'text-length', (d) =>
			d
				.getMap<Y.Map<unknown>>(ROOTS.lanes)
				.get(t.unsorted)!
				.set('title', 'x'.repeat(LIMITS.laneTitle + 1))
		);
	});

	test('INP-03 control characters: C0 and C1 anywhere, line breaks in one-line fields', async () => {
		const t = await setup();
		const title = (d: Y.Doc) => cardsOf(d).get(t.own)!.get('title') as Y.Text;
		const note = (d: Y.Doc) => cardsOf(d).get(t.own)!.get('note') as Y.Text;
		await expectRefused(t, t.a, 'control-chars', (d) =>
			title(d).insert(0, 'a\u0000b\u0007c\u001b')
		);
		await expectRefused(t, t.a, 'control-chars', (d) => note(d).insert(0, 'csi \u009b'));
		await expectRefused(t, t.a, 'control-chars', (d) => title(d).insert(0, 'two\nlines'));
		await expectRefused(t, t.a, 'control-chars', (d) =>
			d
				.getMap<Y.Array<unknown>>(ROOTS.comments)
				.get(t.seeded)!
				.push([{ id: 'c-nul', by: authorOf(t.a), text: 'nul \u0000', at: 1 }])
		);
	});

	test('INP-02 WS-09 counts: one update cannot inflate the board past its card or comment limits', async () => {
		// Judging 1,500 crafted cards is charged to the sender's CPU budget (WS-07) and test-applied
		// in a worker under a deadline; on a busy machine either alone can refuse or close the
		// socket, which is not what this test is about (collab-hostile tests those limits).
		const t = await setup({ cpuBurstMs: 60_000, trialBaseMs: 60_000 });
		const author = authorOf(t.a);
		await expectRefused(t, t.a, 'count', (d) =>
			d.transact(() => {
				for (let i = 0; i < LIMITS.cards; i++)
					cardsOf(d).set(`many${i}`, craftedCard(author, t.unsorted));
			})
		);
		await expectRefused(t, t.a, 'count', (d) =>
			d
				.getMap<Y.Array<unknown>>(ROOTS.comments)
				.get(t.full)!
				.push([{ id: 'one-more', by: author, text: 'もう一件', at: 1 }])
		);
	});

	test('AC-01 forged authors: a comment, a card or a merge in someone else’s name', async () => {
		const t = await setup();
		await expectRefused(t, t.a, 'author', (d) =>
			d
				.getMap<Y.Array<unknown>>(ROOTS.comments)
				.get(t.seeded)!
				.push([{ id: 'forged', by: { id: t.fac.user.id, name: 'Fac' }, text: '決定です', at: 1 }])
		);
		// The right id under another name is still a forgery (the card dialog shows the name).
		await expectRefused(t, t.a, 'author', (d) =>
			cardsOf(d).set('x', craftedCard({ id: t.a.user.id, name: 'Facilitator' }, t.unsorted))
		);
		await expectRefused(t, t.a, 'author', (d) =>
			cardsOf(d)
				.get(t.own)!
				.set('merge', { by: authorOf(t.b), at: 1 })
		);
	});

	test('AC-01 a merge is undone only by the person who made it or a facilitator', async () => {
		const t = await setup();
		const { p: pa } = await sender(t.s, t.a, t.board);
		mergeCards(pa.doc, t.seeded, [t.own], authorOf(t.a), 6);
		await storedMergeIs(t, t.seeded);
		await expectRefused(t, t.b, 'author', (d) => unmergeCard(d, t.own));
		await expectRefused(t, t.b, 'author', (d) => cardsOf(d).get(t.own)!.set('archived', false));
		// Merging it again elsewhere is not an undo; and the one who merged may undo it.
		unmergeCard(pa.doc, t.own);
		await storedMergeIs(t, null);
		disconnect(pa);
	});

	test('AC-01 nobody deletes someone else’s comment, not even a facilitator', async () => {
		const t = await setup();
		const del = (d: Y.Doc) =>
			d.getMap<Y.Array<unknown>>(ROOTS.comments).get(t.seeded)!.delete(0, 1);
		await expectRefused(t, t.a, 'comment-delete', del);
		await expectRefused(t, t.fac, 'comment-delete', del);
		// Nor replaces the card's whole list.
		await expectRefused(t, t.a, 'comment-delete', (d) =>
			d.getMap(ROOTS.comments).set(t.seeded, new Y.Array())
		);
	});

	test('AC-01 AC-03 a seeded card cannot be hard-deleted, nor one with comments, by anyone', async () => {
		const t = await setup();
		await expectRefused(t, t.a, 'card-delete', (d) => cardsOf(d).delete(t.seeded));
		await expectRefused(t, t.fac, 'card-delete', (d) => cardsOf(d).delete(t.seeded));
		await expectRefused(t, t.fac, 'card-delete', (d) => cardsOf(d).delete(t.full));
		// Another person's sourceless card: only its author or a facilitator.
		await expectRefused(t, t.b, 'card-delete', (d) => cardsOf(d).delete(t.own));
		// Replacing a card under its key deletes it too.
		await expectRefused(t, t.a, 'card-delete', (d) =>
			cardsOf(d).set(t.seeded, craftedCard(authorOf(t.a), t.unsorted))
		);
	});

	test('AC-03 provenance: sources are never removed, rewritten or invented', async () => {
		const t = await setup();
		const sources = (d: Y.Doc) => cardsOf(d).get(t.seeded)!.get('sources') as Y.Array<unknown>;
		await expectRefused(t, t.a, 'provenance', (d) =>
			d.transact(() => {
				sources(d).delete(0, 1);
				sources(d).insert(0, [{ ...PROVENANCE, quote: '書き換えた引用' }]);
			})
		);
		await expectRefused(t, t.a, 'provenance', (d) =>
			sources(d).push([{ ...PROVENANCE, itemId: 'invented' }])
		);
		await expectRefused(t, t.a, 'provenance', (d) =>
			d.transact(() => {
				const card = cardsOf(d).set('fake-split', craftedCard(authorOf(t.a), t.unsorted));
				(card.get('sources') as Y.Array<unknown>).push([{ ...PROVENANCE, itemId: 'made-up' }]);
			})
		);
		await expectRefused(t, t.a, 'fixed', (d) =>
			cardsOf(d).get(t.seeded)!.set('createdBy', authorOf(t.a))
		);
	});

	test('AC-03 shapes: unknown keys, replaced texts, wrong types, facilitator-only roots', async () => {
		const t = await setup();
		await expectRefused(t, t.a, 'unknown-key', (d) => cardsOf(d).get(t.own)!.set('evil', 1));
		await expectRefused(t, t.fac, 'unknown-key', (d) =>
			d.getMap<Y.Map<unknown>>(ROOTS.lanes).get(t.unsorted)!.set('script', '<b>')
		);
		await expectRefused(t, t.a, 'shape', (d) => cardsOf(d).get(t.own)!.set('title', 'plain'));
		await expectRefused(t, t.a, 'shape', (d) => cardsOf(d).get(t.own)!.set('order', 7));
		await expectRefused(t, t.a, 'shape', (d) =>
			(cardsOf(d).get(t.own)!.get('title') as Y.Text).insertEmbed(0, { image: 'x' })
		);
		await expectRefused(t, t.a, 'facilitator-only', (d) => {
			const label = new Y.Map<unknown>();
			label.set('name', '短期');
			label.set('color', 'red');
			label.set('order', 'a0');
			d.getMap(ROOTS.labels).set('l1', label);
		});
		await expectRefused(t, t.a, 'shape', (d) =>
			d.getMap(ROOTS.cardLabels).set(`${t.own}/no-such-label`, true)
		);
	});
});
