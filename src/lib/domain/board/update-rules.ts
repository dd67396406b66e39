import * as Y from 'yjs';
import { ITEM_KINDS } from '../library/vocabulary';
import { hasBoardControlChars } from '../text';
import type { DeleteTrace, InsertTrace, UpdateChanges } from './classify-update';
import { LIMITS } from './limits';
import {
	CARD_FIELDS,
	FACILITATOR_ROOTS,
	ID_MAX,
	LABEL_COLORS,
	LABEL_FIELDS,
	LANE_FIELDS,
	ROOTS,
	TEXT_RULES,
	parseCardLabelKey,
	type FieldRule,
	type TextRule
} from './schema';

/**
 * The board's rules for every change a client sends, judged on the update's trace
 * (`classifyUpdate`) against the document as it is, before anything is applied: shapes, limits,
 * authorship and provenance. The realtime server refuses an update that breaks one of them as a
 * whole; `doc.ts` writes only what passes (its writers clean text with `cleanBoardText` and check
 * counts first). Phase and lock rules are separate (`policy.ts`) and spare facilitators; these
 * bind everyone.
 */
export type BoardRule =
	/** Something in the update cannot be placed in the document, or would wait for missing clocks. */
	| 'unplaced'
	/** A value of the wrong type, a text replaced instead of edited, rich content in a text. */
	| 'shape'
	/** A key the document model does not have on a card, lane or label. */
	| 'unknown-key'
	| 'text-length'
	| 'control-chars'
	/** Cards, lanes, labels or comments per card over their limit. */
	| 'count'
	/** A card, comment, merge or hide written in someone else's name. */
	| 'author'
	/** Deleting someone else's comment (or a card's comment list). */
	| 'comment-delete'
	/** A card leaving the board other than by the sourceless delete. */
	| 'card-delete'
	/** Sources removed, rewritten or invented. */
	| 'provenance'
	/** A field fixed at creation changed. */
	| 'fixed'
	/** Labels and hidden comments are the facilitator's. */
	| 'facilitator-only';

export const BOARD_RULES: readonly BoardRule[] = [
	'unplaced',
	'shape',
	'unknown-key',
	'text-length',
	'control-chars',
	'count',
	'author',
	'comment-delete',
	'card-delete',
	'provenance',
	'fixed',
	'facilitator-only'
];

export interface Sender {
	id: number;
	/** The display name the server knows for the connection: the one a new comment must carry. */
	name: string;
	facilitator: boolean;
}

export type RuleVerdict = { ok: true } | { ok: false; rule: BoardRule; detail: string };

class Broken extends Error {
	constructor(
		readonly rule: BoardRule,
		readonly detail: string
	) {
		super(detail);
	}
}

function fail(rule: BoardRule, detail: string): never {
	throw new Broken(rule, detail);
}

const CARD_KINDS = new Set<string>([...Object.keys(ITEM_KINDS), 'note']);
const PROVENANCE_KEYS = [
	'reportSlug',
	'reportTitle',
	'itemId',
	'kind',
	'sectionId',
	'sectionLabel',
	'quote'
];
const COMMENT_KEYS = ['id', 'by', 'text', 'at'];
/** Card fields every card created over the socket carries (`doc.ts` `cardMap`). */
const REQUIRED_CARD_FIELDS = [
	'title',
	'note',
	'lane',
	'order',
	'kind',
	'sources',
	'createdBy',
	'createdAt'
];

export function judgeBoardRules(doc: Y.Doc, changes: UpdateChanges, sender: Sender): RuleVerdict {
	if (changes.unknown) return { ok: false, rule: 'unplaced', detail: 'unplaced item' };
	if (changes.inserts.length === 0 && changes.deletes.length === 0) return { ok: true };
	try {
		new Judgement(doc, changes, sender).run();
		return { ok: true };
	} catch (e) {
		if (e instanceof Broken) return { ok: false, rule: e.rule, detail: e.detail };
		throw e;
	}
}

/** A text field's change: its length now and what the update adds and removes. */
interface TextChange {
	rule: TextRule;
	current: number;
	added: number;
	removed: number;
}

class Judgement {
	readonly cards: Y.Map<Y.Map<unknown>> | undefined;
	/** New cards: id → their fields as inserted. */
	readonly newCards = new Map<string, Map<string, InsertTrace>>();
	/** The sources entries of new cards. */
	readonly newSources = new Map<string, InsertTrace[]>();
	readonly deletedCards = new Set<string>();
	readonly texts = new Map<string, TextChange>();
	/** Map entries (root/key/…/field) this update writes: a delete there is a replacement. */
	readonly written = new Set<string>();
	readonly counts = { lanes: 0, labels: 0 };
	readonly comments = new Map<string, number>();
	readonly newLabels = new Set<string>();

	constructor(
		readonly doc: Y.Doc,
		readonly changes: UpdateChanges,
		readonly sender: Sender
	) {
		this.cards = docMap(doc, ROOTS.cards) as Y.Map<Y.Map<unknown>> | undefined;
	}

	run(): void {
		// Entries under a root first (new cards, lanes, labels), so what goes into them, and
		// labels naming them, find them whatever the order of the update's clients.
		const top = this.changes.inserts.filter((i) => i.path.keys.length === 1);
		const rest = this.changes.inserts.filter((i) => i.path.keys.length !== 1);
		for (const ins of [...top, ...rest]) {
			if (FACILITATOR_ROOTS.has(ins.path.root) && !this.sender.facilitator)
				fail('facilitator-only', ins.path.root);
			if (ins.path.keys.length > 0 && ins.path.keys.at(-1) !== null)
				this.written.add(pathKey(ins.path.root, ins.path.keys));
			this.insert(ins);
		}
		for (const del of this.changes.deletes) {
			if (FACILITATOR_ROOTS.has(del.path.root) && !this.sender.facilitator)
				fail('facilitator-only', del.path.root);
			this.delete(del);
		}
		for (const [id, fields] of this.newCards) this.newCard(id, fields);
		this.checkCounts();
		for (const [key, t] of this.texts) {
			if (t.current + t.added - t.removed > t.rule.max) fail('text-length', key);
		}
	}

	// ── inserts ──────────────────────────────────────────────────────────────────────────────

	insert(ins: InsertTrace): void {
		const { root, keys } = ins.path;
		switch (root) {
			case ROOTS.cards:
				return this.cardInsert(ins, keys);
			case ROOTS.lanes:
				return this.entryInsert(ins, keys, LANE_FIELDS, 'lanes');
			case ROOTS.labels:
				return this.entryInsert(ins, keys, LABEL_FIELDS, 'labels');
			case ROOTS.comments:
				return this.commentInsert(ins, keys);
			case ROOTS.cardLabels:
				return this.cardLabelInsert(ins, keys);
			case ROOTS.hiddenComments:
				return this.hideInsert(ins, keys);
			// Server-owned roots are refused by the phase policy; other roots show nowhere.
		}
	}

	cardInsert(ins: InsertTrace, keys: (string | null)[]): void {
		const [id, field] = keys;
		if (typeof id !== 'string' || id.length > ID_MAX) fail('shape', 'card id');
		if (keys.length === 1) {
			// A live card under that key would be replaced — by a card or by an entry that is
			// already deleted (Yjs makes the rightmost entry the value): that is deleting it.
			if (this.cards?.has(id)) fail('card-delete', `replaces ${id}`);
			if (noContent(ins.item)) return;
			if (!isType(ins.item, Y.Map)) fail('shape', 'card');
			if (this.newCards.has(id)) fail('shape', `two cards ${id}`);
			this.newCards.set(id, new Map());
			return;
		}
		if (typeof field !== 'string') fail('shape', 'card entry');
		const rule: FieldRule | undefined = (CARD_FIELDS as Record<string, FieldRule>)[field];
		if (!rule) fail('unknown-key', `card.${field}`);
		if (keys.length === 2) {
			if (ins.parent === null) {
				// Part of a card this update creates: judged with the whole card (earlier values
				// of a field, overwritten before the update was sent, arrive already deleted).
				if (noContent(ins.item)) return;
				const fields = this.newCards.get(id);
				if (!fields) fail('unplaced', `field of ${id}`);
				if (fields.has(field)) fail('shape', `card.${field} twice`);
				fields.set(field, ins);
				return;
			}
			if (rule === 'text') fail('shape', `card.${field} replaced`);
			if (rule === 'fixed') fail('fixed', `card.${field}`);
			if (rule === 'append') fail('provenance', `card.${field} replaced`);
			this.unmergeBy(id, field, ins);
			this.cardValue(field, ins);
			return;
		}
		if (keys.length === 3 && keys[2] === null) {
			if (rule === 'text') return this.textInsert(ins, `${id}.${field}`, textRuleOf(field));
			if (rule === 'append') return this.sourceInsert(ins, id);
		}
		fail('shape', `card.${field} content`);
	}

	/**
	 * Undoing a merge (a merged card's `mergedInto` or `merge` cleared, or the card restored) is
	 * for the person who merged it and facilitators (`mayUnmerge` in `doc.ts`). Merging it again
	 * elsewhere is not an undo: two people merging the same card at once both write a merge.
	 */
	unmergeBy(id: string, field: string, ins: InsertTrace): void {
		if (this.sender.facilitator) return;
		if (field !== 'mergedInto' && field !== 'merge' && field !== 'archived') return;
		const card = this.cards?.get(id);
		if (!card || typeof card.get('mergedInto') !== 'string') return;
		const v = single(ins.item);
		const undo = field === 'archived' ? v === false : v === null;
		if (!undo) return;
		const merge = card.get('merge');
		const by = isRecord(merge, ['by', 'at']) && isRecord(merge.by) ? merge.by.id : null;
		if (by !== this.sender.id) fail('author', `undo of another's merge of ${id}`);
	}

	/** A value field of an existing card (replaced), or of a new one. */
	cardValue(field: string, ins: InsertTrace): void {
		const v = single(ins.item);
		if (v === NO_VALUE) return;
		switch (field) {
			case 'lane':
				return void (isId(v) || fail('shape', 'card.lane'));
			case 'order':
				return void (
					(typeof v === 'string' && v.length <= LIMITS.orderKey) ||
					fail('shape', 'card.order')
				);
			case 'group':
			case 'mergedInto':
			case 'splitFrom':
				return void (v === null || isId(v) || fail('shape', `card.${field}`));
			case 'archived':
				return void (typeof v === 'boolean' || fail('shape', 'card.archived'));
			case 'merge':
				if (v === null) return;
				if (!isRecord(v, ['by', 'at']) || typeof v.at !== 'number') fail('shape', 'card.merge');
				return this.author(v.by, 'card.merge.by');
			case 'titleEn':
				return this.plainText(v, 'card.titleEn', TEXT_RULES.cardTitle);
			case 'kind':
				return void ((typeof v === 'string' && CARD_KINDS.has(v)) || fail('shape', 'card.kind'));
			case 'createdBy':
				return this.author(v, 'card.createdBy');
			case 'createdAt':
				return void (isTime(v) || fail('shape', 'card.createdAt'));
		}
		fail('shape', `card.${field}`);
	}

	newCard(id: string, fields: Map<string, InsertTrace>): void {
		for (const f of REQUIRED_CARD_FIELDS)
			if (!fields.has(f)) fail('shape', `new card without ${f}`);
		for (const [field, ins] of fields) {
			const rule = (CARD_FIELDS as Record<string, FieldRule>)[field];
			if (rule === 'text' || rule === 'append') {
				const want = rule === 'text' ? Y.Text : Y.Array;
				if (!isType(ins.item, want)) fail('shape', `card.${field}`);
			} else this.cardValue(field, ins);
		}
		const splitFrom = value(fields.get('splitFrom'));
		const kind = value(fields.get('kind'));
		if (typeof splitFrom === 'string') {
			const from = this.cards?.get(splitFrom);
			if (!from) fail('provenance', `split from ${splitFrom}`);
			if (kind !== from.get('kind')) fail('provenance', 'split kind');
		} else if (kind !== 'note') fail('provenance', 'kind of a new card');
		// Its sources: none, or copies of what the card it was split from shows.
		const sources = this.newSources.get(id) ?? [];
		if (sources.length === 0) return;
		if (typeof splitFrom !== 'string') fail('provenance', 'sources of a new card');
		const allowed = this.effectiveSources(splitFrom);
		for (const ins of sources)
			for (const s of entries(ins)) if (!allowed.has(canonical(s))) fail('provenance', 'invented');
	}

	/**
	 * An entry of a card's `sources`: only ever written with a new card, and checked against its
	 * split-from card (`newCard`). A merge no longer copies sources (readers follow `mergedInto`),
	 * so nothing appends to an existing card's.
	 */
	sourceInsert(ins: InsertTrace, cardId: string): void {
		if (ins.parent !== null) fail('provenance', `source added to ${cardId}`);
		for (const s of entries(ins)) {
			if (!isRecord(s, PROVENANCE_KEYS) || PROVENANCE_KEYS.some((k) => typeof s[k] !== 'string'))
				fail('shape', 'source entry');
		}
		this.newSources.set(cardId, [...(this.newSources.get(cardId) ?? []), ins]);
	}

	textInsert(ins: InsertTrace, key: string, rule: TextRule): void {
		const c = ins.item.content;
		if (c instanceof Y.ContentDeleted) return;
		if (!(c instanceof Y.ContentString)) fail('shape', `${key}: rich content`);
		const added = c.str.slice(ins.offset);
		if (hasBoardControlChars(added, rule.multiline)) fail('control-chars', key);
		this.text(key, rule, ins.parent).added += added.length;
	}

	text(key: string, rule: TextRule, type: Y.AbstractType<unknown> | null): TextChange {
		let t = this.texts.get(key);
		if (!t) {
			t = { rule, current: type instanceof Y.Text ? type.length : 0, added: 0, removed: 0 };
			this.texts.set(key, t);
		}
		return t;
	}

	/** A lane or a label: a Y.Map under its id with the fields of its schema. */
	entryInsert(
		ins: InsertTrace,
		keys: (string | null)[],
		schema: Record<string, FieldRule>,
		what: 'lanes' | 'labels'
	): void {
		const [id, field] = keys;
		if (typeof id !== 'string' || id.length > ID_MAX) fail('shape', `${what} id`);
		const existing = docMap(this.doc, what)?.has(id) ?? false;
		if (keys.length === 1) {
			if (existing) fail('shape', `${what} ${id} replaced`);
			if (noContent(ins.item)) return;
			if (!isType(ins.item, Y.Map)) fail('shape', what);
			this.counts[what]++;
			if (what === 'labels') this.newLabels.add(id);
			return;
		}
		if (keys.length !== 2 || typeof field !== 'string') fail('shape', `${what} content`);
		const rule = schema[field];
		if (!rule) fail('unknown-key', `${what}.${field}`);
		if (rule === 'fixed' && ins.parent !== null) fail('fixed', `${what}.${field}`);
		const v = single(ins.item);
		if (v === NO_VALUE) return;
		if (field === 'order') {
			if (typeof v !== 'string' || v.length > LIMITS.orderKey) fail('shape', `${what}.order`);
		} else if (what === 'lanes' && field === 'title') {
			this.plainText(v, 'lane.title', TEXT_RULES.laneTitle);
		} else if (what === 'lanes' && field === 'preset') {
			// Preset lanes are seeded by the server; people add custom ones.
			if (v !== 'custom') fail('shape', 'lane.preset');
		} else if (field === 'name') {
			this.plainText(v, 'label.name', TEXT_RULES.labelName);
		} else if (field === 'color') {
			if (!(LABEL_COLORS as readonly unknown[]).includes(v)) fail('shape', 'label.color');
		}
	}

	commentInsert(ins: InsertTrace, keys: (string | null)[]): void {
		const [cardId] = keys;
		if (typeof cardId !== 'string') fail('shape', 'comments key');
		if (keys.length === 1) {
			// Replacing a card's list would drop its comments (two people writing the first
			// comment at once: the later one is refused and its client resyncs).
			if (docMap(this.doc, ROOTS.comments)?.has(cardId)) fail('comment-delete', 'list replaced');
			if (noContent(ins.item)) return;
			if (!isType(ins.item, Y.Array)) fail('shape', 'comments');
			if (!this.cards?.has(cardId) && !this.newCards.has(cardId))
				fail('shape', `comments for no card ${cardId}`);
			return;
		}
		if (keys.length !== 2 || keys[1] !== null) fail('shape', 'comment content');
		let n = 0;
		for (const c of entries(ins)) {
			n++;
			if (!isRecord(c, COMMENT_KEYS) || typeof c.id !== 'string' || c.id.length > ID_MAX)
				fail('shape', 'comment');
			if (!isTime(c.at)) fail('shape', 'comment.at');
			this.author(c.by, 'comment.by');
			this.plainText(c.text, 'comment', TEXT_RULES.comment);
			if (c.text.trim() === '') fail('shape', 'empty comment');
		}
		this.comments.set(cardId, (this.comments.get(cardId) ?? 0) + n);
	}

	cardLabelInsert(ins: InsertTrace, keys: (string | null)[]): void {
		const [key] = keys;
		const parsed = typeof key === 'string' ? parseCardLabelKey(key) : null;
		if (!parsed || keys.length !== 1) fail('shape', 'cardLabels key');
		const v = single(ins.item);
		if (v === NO_VALUE) return;
		if (v !== true) fail('shape', 'cardLabels value');
		if (!this.cards?.has(parsed.cardId) && !this.newCards.has(parsed.cardId))
			fail('shape', `label on no card ${parsed.cardId}`);
		if (!docMap(this.doc, ROOTS.labels)?.has(parsed.labelId) && !this.newLabels.has(parsed.labelId))
			fail('shape', `no label ${parsed.labelId}`);
	}

	hideInsert(ins: InsertTrace, keys: (string | null)[]): void {
		const [id] = keys;
		if (typeof id !== 'string' || id.length > ID_MAX || keys.length !== 1)
			fail('shape', 'hiddenComments key');
		const v = single(ins.item);
		if (v === NO_VALUE) return;
		if (!isRecord(v, ['by', 'at']) || !isTime(v.at)) fail('shape', 'hiddenComments value');
		this.author(v.by, 'hiddenComments.by');
	}

	// ── deletes ──────────────────────────────────────────────────────────────────────────────

	delete(del: DeleteTrace): void {
		const { root, keys } = del.path;
		const field = keys[1];
		if (root === ROOTS.cards) {
			const [id] = keys;
			if (typeof id !== 'string') fail('shape', 'card key');
			if (keys.length === 1) {
				this.deletedCards.add(id);
				return this.cardDelete(id, del.item);
			}
			const rule = (CARD_FIELDS as Record<string, FieldRule>)[field ?? ''];
			if (keys.length === 3 && rule === 'text') {
				const parent = del.item.parent as Y.AbstractType<unknown>;
				if (del.item.content instanceof Y.ContentString)
					this.text(`${id}.${field}`, textRuleOf(field as string), parent).removed += del.length;
				return;
			}
			if (rule === 'append') fail('provenance', `source removed from ${id}`);
			if (rule === 'fixed') fail('fixed', `card.${field}`);
			if (rule === 'text') fail('shape', `card.${field} removed`);
			return this.replaced(del, `card.${field}`);
		}
		if (root === ROOTS.lanes || root === ROOTS.labels) {
			if (keys.length === 1) {
				if (root === ROOTS.lanes) {
					const lane = del.item.content instanceof Y.ContentType ? del.item.content.type : null;
					// Cards fall back to the unsorted lane: it stays.
					if (lane instanceof Y.Map && lane.get('preset') === 'unsorted')
						fail('shape', 'unsorted lane deleted');
				}
				this.counts[root === ROOTS.lanes ? 'lanes' : 'labels']--;
				return;
			}
			const schema: Record<string, FieldRule> = root === ROOTS.lanes ? LANE_FIELDS : LABEL_FIELDS;
			if (schema[field ?? ''] === 'fixed') fail('fixed', `${root}.${field}`);
			return this.replaced(del, `${root}.${field}`);
		}
		if (root === ROOTS.comments) {
			const [cardId] = keys;
			if (keys.length === 1) {
				const list = del.item.content instanceof Y.ContentType ? del.item.content.type : null;
				if (list instanceof Y.Array) for (const c of list.toArray()) this.ownComment(c);
				return;
			}
			const deleted = commentsIn(del);
			for (const c of deleted) this.ownComment(c);
			if (typeof cardId === 'string')
				this.comments.set(cardId, (this.comments.get(cardId) ?? 0) - deleted.length);
		}
		// cardLabels: anyone who may edit cards unlabels; hiddenComments: facilitators (above).
	}

	/** A plain value may only go because the update writes a new one in its place. */
	replaced(del: DeleteTrace, what: string): void {
		if (!this.written.has(pathKey(del.path.root, del.path.keys))) fail('shape', `${what} removed`);
	}

	ownComment(c: unknown): void {
		const by = isRecord(c) && isRecord(c.by) ? c.by.id : null;
		if (by !== this.sender.id) fail('comment-delete', 'not the author');
	}

	/**
	 * The one way a card leaves the document: its author or a facilitator deletes a card with no
	 * sources of its own, no comments, not merged and with nothing merged into it.
	 */
	cardDelete(id: string, item: Y.Item): void {
		const card = item.content instanceof Y.ContentType ? item.content.type : null;
		if (!(card instanceof Y.Map)) return;
		const by = card.get('createdBy');
		const author = isRecord(by) ? by.id : null;
		if (!this.sender.facilitator && author !== this.sender.id)
			fail('card-delete', 'not the author');
		const sources = card.get('sources');
		if (sources instanceof Y.Array && sources.length > 0) fail('card-delete', 'has sources');
		// Its wording is part of the card it was merged into (unmerge first).
		if (typeof card.get('mergedInto') === 'string') fail('card-delete', 'merged into another');
		const comments = docMap(this.doc, ROOTS.comments)?.get(id);
		if (comments instanceof Y.Array && comments.length > 0) fail('card-delete', 'has comments');
		for (const [, other] of this.cards ?? [])
			if (other.get('mergedInto') === id) fail('card-delete', 'has merged cards');
	}

	// ── shared ───────────────────────────────────────────────────────────────────────────────

	checkCounts(): void {
		const added = this.newCards.size;
		if (added > 0 && (this.cards?.size ?? 0) + added - this.deletedCards.size > LIMITS.cards)
			fail('count', 'cards');
		for (const what of ['lanes', 'labels'] as const) {
			const n = this.counts[what];
			if (n > 0 && (docMap(this.doc, what)?.size ?? 0) + n > LIMITS[what]) fail('count', what);
		}
		const lists = docMap(this.doc, ROOTS.comments);
		for (const [cardId, n] of this.comments) {
			if (n <= 0) continue;
			const list = lists?.get(cardId);
			const have = list instanceof Y.Array ? list.length : 0;
			if (have + n > LIMITS.commentsPerCard) fail('count', `comments on ${cardId}`);
		}
	}

	author(v: unknown, what: string): void {
		if (!isRecord(v, ['id', 'name']) || v.id !== this.sender.id || v.name !== this.sender.name)
			fail('author', what);
	}

	plainText(v: unknown, what: string, rule: TextRule): asserts v is string {
		if (typeof v !== 'string') fail('shape', what);
		if (v.length > rule.max) fail('text-length', what);
		if (hasBoardControlChars(v, rule.multiline)) fail('control-chars', what);
	}

	/** Every source (canonical JSON) the card shows: its own and those of cards merged into it. */
	effectiveSources(cardId: string): Set<string> {
		const out = new Set<string>();
		const seen = new Set<string>();
		const visit = (id: string) => {
			if (seen.has(id)) return;
			seen.add(id);
			const card = this.cards?.get(id);
			const own = card?.get('sources');
			if (own instanceof Y.Array) for (const s of own.toArray()) out.add(canonical(s));
			for (const [otherId, other] of this.cards ?? [])
				if (other.get('mergedInto') === id) visit(otherId);
		};
		visit(cardId);
		return out;
	}
}

const NO_VALUE = Symbol('no value');

/** The one value a map entry holds; NO_VALUE for an entry already deleted in the update. */
function single(item: Y.Item): unknown {
	const c = item.content;
	if (c instanceof Y.ContentDeleted) return NO_VALUE;
	if ((c instanceof Y.ContentAny || c instanceof Y.ContentJSON) && c.arr.length === 1)
		return c.arr[0];
	fail('shape', 'not a plain value');
}

function value(ins: InsertTrace | undefined): unknown {
	if (!ins) return undefined;
	const v = single(ins.item);
	return v === NO_VALUE ? undefined : v;
}

/** The new array entries of an item (a comment list's or a sources list's). */
function entries(ins: InsertTrace): unknown[] {
	const c = ins.item.content;
	if (c instanceof Y.ContentDeleted) return [];
	if (c instanceof Y.ContentAny || c instanceof Y.ContentJSON) return c.arr.slice(ins.offset);
	fail('shape', 'not plain entries');
}

function commentsIn(del: DeleteTrace): unknown[] {
	const c = del.item.content;
	if (c instanceof Y.ContentAny || c instanceof Y.ContentJSON)
		return c.arr.slice(del.offset, del.offset + del.length);
	return [];
}

function noContent(item: Y.Item): boolean {
	return item.content instanceof Y.ContentDeleted;
}

/** Exactly this type (Y.XmlText is a Y.Text subclass, and not one of ours). */
function isType(item: Y.Item, type: typeof Y.Map | typeof Y.Text | typeof Y.Array): boolean {
	return item.content instanceof Y.ContentType && item.content.type.constructor === type;
}

function isRecord(v: unknown, keys?: readonly string[]): v is Record<string, unknown> {
	if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
	if (!keys) return true;
	const own = Object.keys(v);
	return own.length === keys.length && keys.every((k) => Object.hasOwn(v, k));
}

function isId(v: unknown): v is string {
	return typeof v === 'string' && v.length > 0 && v.length <= ID_MAX;
}

function isTime(v: unknown): boolean {
	return typeof v === 'number' && Number.isFinite(v);
}

function textRuleOf(field: string): TextRule {
	return field === 'title' ? TEXT_RULES.cardTitle : TEXT_RULES.cardNote;
}

function docMap(doc: Y.Doc, root: string): Y.Map<unknown> | undefined {
	// `doc.getMap` would create a missing root on the server's document: only look.
	if (!doc.share.has(root)) return undefined;
	try {
		return doc.getMap(root);
	} catch {
		// The root exists as another type: it holds no map entries.
		return undefined;
	}
}

function pathKey(root: string, keys: readonly (string | null)[]): string {
	return `${root}\u0000${keys.join('\u0000')}`;
}

/** A source as JSON with its keys in one order, for comparing copies. */
function canonical(v: unknown): string {
	if (!isRecord(v)) return JSON.stringify(v);
	return JSON.stringify(
		Object.keys(v)
			.sort()
			.map((k) => [k, v[k]])
	);
}
