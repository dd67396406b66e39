import * as Y from 'yjs';
import { ROOTS } from './schema';

/**
 * When a whole board may be deleted. Deleting is for a board that was set up and never used (a
 * wrong template, a test run): anything people contributed is kept and archived instead. So a
 * board is deletable only when it holds nothing but what the server seeded into it:
 *
 * - in the document: every card is a seeded card (it carries a source and was not split from
 *   another card), no card was archived or merged, and no card has a comment;
 * - in SQL: no vote session, no decision, no action, no private draft (waiting or revealed), and
 *   no follow-up board continues it.
 *
 * Not counted: lane placement, lane names and wording edits of seeded cards (the template gives
 * them back), labels, members and invites (they carry no one's contribution).
 */
export type DeletionBlocker =
	| 'cards_added'
	| 'cards_archived'
	| 'comments'
	| 'votes'
	| 'decisions'
	| 'actions'
	| 'drafts'
	| 'follow_ups';

export interface DocContributions {
	/** Cards someone wrote on the board (no source) or split off another card. */
	cardsAdded: number;
	/** Cards archived by hand or merged into another. */
	cardsArchived: number;
	comments: number;
}

export interface SqlContributions {
	votes: number;
	decisions: number;
	actions: number;
	drafts: number;
	followUps: number;
}

/** What people have put into a board's document, read defensively (it is shared data). */
export function docContributions(doc: Y.Doc): DocContributions {
	let cardsAdded = 0;
	let cardsArchived = 0;
	for (const card of doc.getMap<unknown>(ROOTS.cards).values()) {
		if (!(card instanceof Y.Map)) continue;
		const sources = card.get('sources');
		const seeded =
			sources instanceof Y.Array && sources.length > 0 && typeof card.get('splitFrom') !== 'string';
		if (!seeded) cardsAdded++;
		if (card.get('archived') === true || typeof card.get('mergedInto') === 'string')
			cardsArchived++;
	}
	let comments = 0;
	for (const list of doc.getMap<unknown>(ROOTS.comments).values())
		if (list instanceof Y.Array) comments += list.length;
	return { cardsAdded, cardsArchived, comments };
}

/** Why this board may not be deleted; empty when it may. */
export function deletionBlockers(d: DocContributions, s: SqlContributions): DeletionBlocker[] {
	const out: DeletionBlocker[] = [];
	if (d.cardsAdded > 0) out.push('cards_added');
	if (d.cardsArchived > 0) out.push('cards_archived');
	if (d.comments > 0) out.push('comments');
	if (s.votes > 0) out.push('votes');
	if (s.decisions > 0) out.push('decisions');
	if (s.actions > 0) out.push('actions');
	if (s.drafts > 0) out.push('drafts');
	if (s.followUps > 0) out.push('follow_ups');
	return out;
}

/**
 * The confirmation typed to delete: the board's title, compared after Unicode normalisation and
 * trimming (an IME may give full-width spaces or composed forms the title was not stored in).
 */
export function confirmsTitle(typed: string, title: string): boolean {
	const norm = (s: string) => s.normalize('NFKC').trim();
	return norm(typed) !== '' && norm(typed) === norm(title);
}
