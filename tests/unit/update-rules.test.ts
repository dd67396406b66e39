import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { classifyUpdate } from '../../src/lib/domain/board/classify-update';
import { addComment, readBoard, seedBoard } from '../../src/lib/domain/board/doc';
import { ROOTS } from '../../src/lib/domain/board/schema';
import { judgeBoardRules } from '../../src/lib/domain/board/update-rules';

const FAC = { id: 1, name: 'ファシリ' };
const A = { id: 2, name: '参加者 A' };

function board() {
	const server = new Y.Doc();
	seedBoard(server, [{ title: '種', titleEn: '', note: '', kind: 'issue', sources: [] }], FAC, 0);
	const card = readBoard(server).lanes.flatMap((l) => l.cards)[0]!.id;
	addComment(server, card, { text: 'ファシリの意見', author: FAC, now: 1 });
	const client = new Y.Doc();
	Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
	const change = (fn: (d: Y.Doc) => void) => {
		let update: Uint8Array | null = null;
		const take = (u: Uint8Array) => (update = u);
		client.on('update', take);
		client.transact(() => fn(client));
		client.off('update', take);
		return update as unknown as Uint8Array;
	};
	const judge = (update: Uint8Array) =>
		judgeBoardRules(server, classifyUpdate(server, update), { ...A, facilitator: false });
	return { server, client, card, change, judge };
}

describe('board rules on hand-made updates (AC-01, AC-03)', () => {
	test('AC-01 an entry written and deleted in one go still replaces the live card under its key', () => {
		const { server, card, change, judge } = board();
		// The update carries an already-deleted item at cards[card], right of the live card: Yjs
		// makes the rightmost entry the value, so applying it deletes the card.
		const update = change((d) => {
			const cards = d.getMap(ROOTS.cards);
			cards.set(card, new Y.Map());
			cards.delete(card);
		});
		const copy = new Y.Doc();
		Y.applyUpdate(copy, Y.encodeStateAsUpdate(server));
		Y.applyUpdate(copy, update);
		expect(copy.getMap(ROOTS.cards).has(card)).toBe(false);
		expect(judge(update)).toMatchObject({ ok: false, rule: 'card-delete' });
	});

	test('AC-01 a comment list replaced by an already-deleted entry is refused', () => {
		const { card, change, judge } = board();
		const update = change((d) => {
			const comments = d.getMap(ROOTS.comments);
			comments.set(card, new Y.Array());
			comments.delete(card);
		});
		expect(judge(update)).toMatchObject({ ok: false, rule: 'comment-delete' });
	});

	test('AC-03 a gap in a client’s clocks, or deleting ids nobody has, cannot be placed', () => {
		const { client, card, change, server } = board();
		const first = change((d) =>
			(d.getMap(ROOTS.cards).get(card) as Y.Map<unknown>).set('group', 'g')
		);
		const second = change((d) =>
			(d.getMap(ROOTS.cards).get(card) as Y.Map<unknown>).set('group', null)
		);
		// The server never got `first`: `second` builds on clocks it does not have.
		expect(classifyUpdate(server, second).unknown).toBe(true);
		expect(classifyUpdate(server, first).unknown).toBe(false);
		// A delete set naming a future id of another client (a victim's next comment).
		const victim = client.clientID + 1;
		const forged = encodeDeleteOnly(victim, 5);
		const probe = new Y.Doc();
		Y.applyUpdate(probe, forged);
		// Yjs keeps it pending, to apply to whatever later arrives under that id.
		expect(probe.store.pendingDs).not.toBeNull();
		expect(classifyUpdate(server, forged).unknown).toBe(true);
	});

	test('AC-01 facilitators may hide comments and manage labels; participants may not', () => {
		const { change, judge, server } = board();
		const comment = (
			server.getMap(ROOTS.comments).values().next().value as Y.Array<{ id: string }>
		).get(0)!.id;
		const hide = change((d) => d.getMap(ROOTS.hiddenComments).set(comment, { by: A, at: 1 }));
		expect(judge(hide)).toMatchObject({ ok: false, rule: 'facilitator-only' });
		expect(
			judgeBoardRules(server, classifyUpdate(server, hide), { ...A, facilitator: true })
		).toEqual({ ok: true });
	});
});

/** A v1 update with no structs and one deleted range: `clock` of `client`. */
function encodeDeleteOnly(client: number, clock: number): Uint8Array {
	// [0 struct groups][1 client][client][1 range][clock][len 1]
	const bytes: number[] = [0, 1];
	const varUint = (n: number) => {
		while (n > 0x7f) {
			bytes.push((n & 0x7f) | 0x80);
			n = Math.floor(n / 128);
		}
		bytes.push(n);
	};
	varUint(client);
	varUint(1);
	varUint(clock);
	varUint(1);
	return Uint8Array.from(bytes);
}
