import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { classifyUpdate } from '../../src/lib/domain/board/classify-update';
import {
	addCard,
	addComment,
	addLabel,
	addLane,
	archiveCard,
	BoardError,
	deleteCard,
	deleteComment,
	deleteLabel,
	deleteLane,
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
	readLabels,
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
	type Author,
	type CardView
} from '../../src/lib/domain/board/doc';
import type { BoardRole } from '../../src/lib/domain/board/roles';
import { LABEL_COLORS } from '../../src/lib/domain/board/schema';
import { judgeBoardRules } from '../../src/lib/domain/board/update-rules';

/**
 * Property: whatever legitimate `doc.ts` operations two participants and a facilitator perform,
 * with whatever text they type (control characters, line breaks, over-long input included), the
 * server's board rules never refuse the updates they produce. One definition of the rules, and
 * the writers agree with it.
 */
interface User {
	author: Author;
	role: BoardRole;
	doc: Y.Doc;
}

const PROVENANCE = {
	reportSlug: 'r',
	reportTitle: '報告書',
	itemId: 'i1',
	kind: 'issue' as const,
	sectionId: 's',
	sectionLabel: '１',
	quote: '引用'
};

function board() {
	const server = new Y.Doc();
	const fac: Author = { id: 1, name: 'ファシリ' };
	seedBoard(
		server,
		[
			{ title: '種 1', titleEn: 'seed', note: 'メモ', kind: 'issue', sources: [PROVENANCE] },
			{ title: '種 2', titleEn: '', note: '', kind: 'proposal', sources: [] }
		],
		fac,
		0
	);
	const user = (author: Author, role: BoardRole): User => {
		const doc = new Y.Doc();
		Y.applyUpdate(doc, Y.encodeStateAsUpdate(server));
		return { author, role, doc };
	};
	return {
		server,
		users: [
			user(fac, 'facilitator'),
			user({ id: 2, name: '参加者 A' }, 'participant'),
			user({ id: 3, name: '参加者 B' }, 'participant')
		]
	};
}

/** Text as people paste it: any code unit (controls, line breaks, surrogates), any length. */
const typed = fc
	.tuple(fc.string({ unit: 'binary', maxLength: 12 }), fc.nat(5000))
	.map(([s, n]) => (s.length === 0 ? s : s.repeat(Math.ceil(n / s.length) || 1).slice(0, n)));

interface Step {
	user: number;
	op: number;
	a: number;
	b: number;
	text: string;
}

const step: fc.Arbitrary<Step> = fc.record({
	user: fc.nat(2),
	op: fc.nat(24),
	a: fc.nat(),
	b: fc.nat(),
	text: typed
});

function pick<T>(list: readonly T[], n: number): T | undefined {
	return list.length === 0 ? undefined : list[n % list.length];
}

/** One operation as the UI would offer it to this user; throws BoardError when it does not apply. */
function perform(u: User, s: Step, now: number): void {
	const d = u.doc;
	const view = readBoard(d);
	const live = view.lanes.flatMap((l) => l.cards);
	const all: CardView[] = [...live, ...view.archived];
	const card = pick(live, s.a);
	const lane = pick(view.lanes, s.b);
	const labels = readLabels(d);
	const fac = u.role === 'facilitator';
	switch (s.op) {
		case 0:
		case 1:
			if (lane) addCard(d, { title: s.text || 'x', lane: lane.id, author: u.author, now });
			return;
		case 2:
			if (card) setCardText(d, card.id, 'title', s.text);
			return;
		case 3:
			if (card) setCardText(d, card.id, 'note', s.text);
			return;
		case 4:
			if (card && lane) moveCard(d, card.id, lane.id, s.b % 7);
			return;
		case 5:
		case 6:
			if (card) addComment(d, card.id, { text: s.text, author: u.author, now });
			return;
		case 7: {
			const c = pick(all, s.a);
			const mine = c && readComments(d, c.id).find((x) => x.by.id === u.author.id);
			if (c && mine) deleteComment(d, c.id, mine.id, u.author);
			return;
		}
		case 8: {
			const c = pick(all, s.a);
			const comment = c && pick(readComments(d, c.id), s.b);
			if (!fac || !c || !comment) return;
			if (comment.hidden) unhideComment(d, comment.id);
			else hideComment(d, c.id, comment.id, u.author, now);
			return;
		}
		case 9: {
			const other = pick(live, s.b);
			if (card && other) mergeCards(d, card.id, [other.id], u.author, now);
			return;
		}
		case 10: {
			const merged = view.archived.filter((c) => mayUnmerge(c, u.author.id, u.role));
			const c = pick(merged, s.a);
			if (c) unmergeCard(d, c.id);
			return;
		}
		case 11:
			if (card) archiveCard(d, card.id);
			return;
		case 12: {
			const c = pick(
				view.archived.filter((x) => x.mergedInto === null),
				s.a
			);
			if (c) restoreCard(d, c.id);
			return;
		}
		case 13: {
			const c = pick(
				all.filter((x) => isDeletable(x) && mayDeleteCard(x, u.author.id, u.role)),
				s.a
			);
			if (c) deleteCard(d, c.id, u.author, u.role);
			return;
		}
		case 14:
			if (card) splitCard(d, card.id, { title: s.text || 'x', author: u.author, now });
			return;
		case 15:
			addLane(d, s.text || 'レーン');
			return;
		case 16:
			if (lane) renameLane(d, lane.id, s.text || 'レーン');
			return;
		case 17:
			if (lane) moveLane(d, lane.id, s.b % 6);
			return;
		case 18:
			if (lane) deleteLane(d, lane.id);
			return;
		case 19:
			if (fac)
				addLabel(d, {
					name: s.text || 'ラベル',
					color: LABEL_COLORS[s.b % LABEL_COLORS.length]!
				});
			return;
		case 20: {
			const l = pick(labels, s.b);
			if (fac && l) updateLabel(d, l.id, { name: s.text || 'ラベル' });
			if (fac && l) moveLabel(d, l.id, s.a % 4);
			return;
		}
		case 21: {
			const l = pick(labels, s.b);
			if (fac && l) deleteLabel(d, l.id);
			return;
		}
		case 22:
		case 23: {
			const l = pick(labels, s.b);
			if (card && l) setCardLabel(d, card.id, l.id, s.op === 22);
			return;
		}
		default:
			if (card) setGroup(d, [card.id], s.a % 2 === 0 ? null : `g${s.b % 3}`);
	}
}

function judged(server: Y.Doc, u: User, update: Uint8Array) {
	return judgeBoardRules(server, classifyUpdate(server, update), {
		id: u.author.id,
		name: u.author.name,
		facilitator: u.role === 'facilitator'
	});
}

describe('board rules and doc.ts agree (property)', () => {
	test('INP-02 INP-03 AC-01 legitimate operations, each on the latest board, are never refused', () => {
		fc.assert(
			fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
				const { server, users } = board();
				steps.forEach((s, i) => {
					const u = users[s.user] as User;
					// This user has seen everything the server has.
					Y.applyUpdate(u.doc, Y.encodeStateAsUpdate(server, Y.encodeStateVector(u.doc)));
					const updates: Uint8Array[] = [];
					const collect = (up: Uint8Array) => updates.push(up);
					u.doc.on('update', collect);
					try {
						perform(u, s, i);
					} catch (e) {
						if (!(e instanceof BoardError)) throw e;
					} finally {
						u.doc.off('update', collect);
					}
					for (const up of updates) {
						expect(judged(server, u, up), `step ${i}: op ${s.op}`).toEqual({ ok: true });
						Y.applyUpdate(server, up);
					}
				});
			}),
			{ numRuns: 150 }
		);
	});

	test('AC-01 users working at once (short texts, delivered late and in any order) are never refused', () => {
		fc.assert(
			fc.property(
				fc.array(
					fc.record({
						user: fc.nat(2),
						// Operations that do not race with each other's rules: edits, moves, new cards,
						// comments on a card that has some, archive and restore, labels on cards.
						op: fc.constantFrom(0, 2, 3, 4, 11, 12, 22, 23, 24),
						a: fc.nat(),
						b: fc.nat(),
						text: fc.string({ unit: 'binary', maxLength: 20 }),
						sync: fc.boolean()
					}),
					{ maxLength: 40 }
				),
				(steps) => {
					const { server, users } = board();
					const pending: { u: User; update: Uint8Array }[][] = users.map(() => []);
					steps.forEach((s, i) => {
						const u = users[s.user] as User;
						const queue = pending[s.user] as { u: User; update: Uint8Array }[];
						const collect = (update: Uint8Array) => queue.push({ u, update });
						u.doc.on('update', collect);
						try {
							perform(u, s, i);
						} catch (e) {
							if (!(e instanceof BoardError)) throw e;
						} finally {
							u.doc.off('update', collect);
						}
						// Now and then this user's updates reach the server (in order, as over one
						// socket) and the user catches up with everyone else's.
						if (!s.sync) return;
						for (const { update } of queue.splice(0)) {
							expect(judged(server, u, update), `step ${i}`).toEqual({ ok: true });
							Y.applyUpdate(server, update);
						}
						Y.applyUpdate(u.doc, Y.encodeStateAsUpdate(server, Y.encodeStateVector(u.doc)));
					});
				}
			),
			{ numRuns: 150 }
		);
	});
});
