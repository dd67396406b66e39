import * as Y from 'yjs';
import { ITEM_KINDS, type ItemKind } from '../library/vocabulary';
import { stripControlChars } from '../text';
import { generateLocalId } from './id';
import { LIMITS } from './limits';
import { compareOrdered, keyAt, keyAtEnd } from './order';
import type { BoardRole } from './roles';
import { LABEL_COLORS, ROOTS, cardLabelKey, parseCardLabelKey, type LabelColor } from './schema';

/**
 * The only code that reads or writes a board's shared Yjs document; its roots and fields are
 * named in `schema.ts`. Every client holds the whole document, so nothing secret belongs here
 * (ballots stay in SQL).
 *
 * Titles and notes are Y.Text so two people typing in the same field merge instead of
 * overwriting each other. Writers clip text to LIMITS and drop control characters, so an honest
 * client never sends what the realtime server refuses; readers are defensive, because the
 * document is shared data and boards written by earlier versions must still read.
 */
export const DOC_VERSION = 1;

/** Where a card came from: copied in when seeded, never dropped by edit, merge or split. */
export interface Provenance {
	reportSlug: string;
	reportTitle: string;
	itemId: string;
	kind: ItemKind;
	sectionId: string;
	/** The section as printed, e.g. "３．２ デジタル化による SDGs 達成への貢献". */
	sectionLabel: string;
	quote: string;
}

export type CardKind = ItemKind | 'note';

/** Seeded lanes, left to right: new cards arrive on the left and are sorted rightwards. */
export const LANE_PRESETS = ['unsorted', 'top', 'high', 'consider', 'hold'] as const;
export type LanePreset = (typeof LANE_PRESETS)[number] | 'custom';

export interface Author {
	id: number;
	name: string;
}

/** Who merged a card into another and when: that person may undo it. */
export interface MergeRecord {
	by: Author;
	at: number;
}

/** A card merged into another one, as the surviving card shows it ("統合元"). */
export interface MergedFromView {
	id: string;
	title: string;
	note: string;
	createdBy: Author | null;
	createdAt: number;
	/** That card's own sources (its effective ones are the sum over this list and the target). */
	sources: Provenance[];
	/** The card it was merged into directly (another entry of the list, or the card itself). */
	mergedInto: string;
	/** Null for merges made before merges were recorded. */
	merge: MergeRecord | null;
}

export interface CardView {
	id: string;
	title: string;
	titleEn: string;
	note: string;
	lane: string;
	order: string;
	kind: CardKind;
	/** Effective sources: its own, then those of every card merged into it, once per item. */
	sources: Provenance[];
	/** Only the sources stored on this card (what a split copies, what makes it undeletable). */
	ownSources: Provenance[];
	group: string | null;
	createdBy: Author | null;
	createdAt: number;
	/** Hidden from the lanes: archived by hand (`mergedInto` null) or merged into another card. */
	archived: boolean;
	mergedInto: string | null;
	merge: MergeRecord | null;
	/** Every card merged into this one, recursively, oldest merge first. */
	mergedFrom: MergedFromView[];
	/** Ids of the board's labels on this card, in the labels' order. */
	labels: string[];
	splitFrom: string | null;
	/** Comments on the card, hidden ones included. */
	comments: number;
}

export interface LaneView {
	id: string;
	title: string;
	preset: LanePreset;
	order: string;
	cards: CardView[];
}

export interface LabelView {
	id: string;
	name: string;
	color: LabelColor;
	order: string;
}

/** A facilitator's mark on a comment that should not be shown to everyone. */
export interface HiddenMark {
	by: Author;
	at: number;
}

/** A comment as stored in the card's list under `comments`. */
interface StoredComment {
	id: string;
	by: Author;
	text: string;
	at: number;
}

export interface CommentView extends StoredComment {
	hidden: HiddenMark | null;
}

export interface BoardView {
	lanes: LaneView[];
	labels: LabelView[];
	/**
	 * Cards off the lanes, kept with their provenance so history, votes and undo still resolve:
	 * archived by hand (`mergedInto` null) or merged into another card. Counted nowhere.
	 */
	archived: CardView[];
}

export interface SeedCard {
	title: string;
	titleEn: string;
	note: string;
	kind: CardKind;
	sources: Provenance[];
	/** The `key` of one of the seeded lanes; the unsorted lane when absent or unknown. */
	lane?: string;
}

/** A lane a new board starts with; `key` only ties seed cards to it (the lane gets a new id). */
export interface SeedLane {
	key: string;
	title: string;
	preset: LanePreset;
}

const lanesOf = (doc: Y.Doc) => doc.getMap<Y.Map<unknown>>(ROOTS.lanes);
const cardsOf = (doc: Y.Doc) => doc.getMap<Y.Map<unknown>>(ROOTS.cards);
const commentsOf = (doc: Y.Doc) => doc.getMap<Y.Array<StoredComment>>(ROOTS.comments);
const labelsOf = (doc: Y.Doc) => doc.getMap<Y.Map<unknown>>(ROOTS.labels);
const cardLabelsOf = (doc: Y.Doc) => doc.getMap<boolean>(ROOTS.cardLabels);
const hiddenOf = (doc: Y.Doc) => doc.getMap<HiddenMark>(ROOTS.hiddenComments);

/**
 * Why a board operation did not happen; `board.error.<code>` in the message catalogue says it
 * to the person who acted.
 * - `not_found`: the card, lane, label or comment is not (or no longer) on the board.
 * - `limit`: a LIMITS bound would be passed.
 * - `invalid`: the input or the card's state does not allow it (an empty name, merging an
 *   archived card, deleting the unsorted lane).
 * - `forbidden`: this person may not (someone else's card or comment).
 * - `not_empty`: the card carries sources or comments, other cards were merged into it, or it is
 *   merged into another card.
 */
export type BoardErrorCode = 'not_found' | 'limit' | 'invalid' | 'forbidden' | 'not_empty';

export class BoardError extends Error {
	constructor(readonly code: BoardErrorCode) {
		super(code);
	}
}

/**
 * What a writer stores: control characters dropped, then at most `max` UTF-16 units, never
 * ending inside a surrogate pair.
 */
export function clipText(s: string, max: number): string {
	const clean = stripControlChars(s);
	if (clean.length <= max) return clean;
	const code = clean.charCodeAt(max - 1);
	return clean.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

function str(v: unknown, fallback = ''): string {
	return typeof v === 'string' ? v : fallback;
}

/** A kind or preset the document holds, if it is one this version knows (exports validate). */
const oneOf = <T extends string>(known: readonly T[], v: unknown, fallback: T): T =>
	(known as readonly unknown[]).includes(v) ? (v as T) : fallback;
const CARD_KINDS: readonly CardKind[] = [...(Object.keys(ITEM_KINDS) as ItemKind[]), 'note'];
const PRESETS: readonly LanePreset[] = [...LANE_PRESETS, 'custom'];

function text(m: Y.Map<unknown>, key: string): Y.Text {
	const t = m.get(key);
	if (t instanceof Y.Text) return t;
	throw new BoardError('invalid');
}

function isAuthor(v: unknown): v is Author {
	return (
		typeof v === 'object' &&
		v !== null &&
		typeof (v as Author).id === 'number' &&
		typeof (v as Author).name === 'string'
	);
}

function readMark(v: unknown): MergeRecord | null {
	if (typeof v !== 'object' || v === null) return null;
	const { by, at } = v as Partial<MergeRecord>;
	return isAuthor(by) && typeof at === 'number' ? { by: { id: by.id, name: by.name }, at } : null;
}

const DEFAULT_LANES: readonly SeedLane[] = LANE_PRESETS.map((preset) => ({
	key: preset,
	title: '',
	preset
}));

/**
 * Writes a new board: its lanes (the preset ones unless given; an unsorted lane is always
 * there) and the seeded cards, each in the lane its `lane` key names, else unsorted.
 */
export function seedBoard(
	doc: Y.Doc,
	cards: readonly SeedCard[],
	author: Author,
	now: number,
	lanes: readonly SeedLane[] = DEFAULT_LANES
) {
	if (cards.length > LIMITS.seedItems) throw new BoardError('limit');
	const seedLanes = lanes.some((l) => l.preset === 'unsorted')
		? lanes
		: [{ key: '', title: '', preset: 'unsorted' as const }, ...lanes];
	if (seedLanes.length > LIMITS.lanes) throw new BoardError('limit');
	doc.transact(() => {
		doc.getMap(ROOTS.meta).set('version', DOC_VERSION);
		const laneIds = new Map<string, string>();
		let unsorted = '';
		let prev: string | null = null;
		for (const l of seedLanes) {
			const id = generateLocalId();
			const order = keyAt(prev === null ? [] : [{ id: '', order: prev }], 1);
			prev = order;
			lanesOf(doc).set(id, laneMap(clipText(l.title.trim(), LIMITS.laneTitle), l.preset, order));
			if (l.preset === 'unsorted' && !unsorted) unsorted = id;
			laneIds.set(l.key, id);
		}
		let last: string | null = null;
		for (const c of cards) {
			const order = keyAt(last === null ? [] : [{ id: '', order: last }], 1);
			last = order;
			const lane = (c.lane !== undefined && laneIds.get(c.lane)) || unsorted;
			cardsOf(doc).set(generateLocalId(), cardMap(c, lane, order, author, now, null));
		}
	});
}

function laneMap(title: string, preset: LanePreset, order: string): Y.Map<unknown> {
	const m = new Y.Map<unknown>();
	m.set('title', title);
	m.set('preset', preset);
	m.set('order', order);
	return m;
}

/** A new card with every field of CARD_FIELDS and no other. */
function cardMap(
	c: SeedCard,
	lane: string,
	order: string,
	author: Author | null,
	now: number,
	splitFrom: string | null
): Y.Map<unknown> {
	const m = new Y.Map<unknown>();
	m.set('title', new Y.Text(clipText(c.title, LIMITS.cardTitle)));
	m.set('note', new Y.Text(clipText(c.note, LIMITS.cardNote)));
	m.set('titleEn', clipText(c.titleEn, LIMITS.cardTitle));
	m.set('lane', lane);
	m.set('order', order);
	m.set('kind', c.kind);
	m.set('sources', Y.Array.from(c.sources.map((s) => ({ ...s }))));
	m.set('group', null);
	m.set('createdBy', author ? { id: author.id, name: author.name } : null);
	m.set('createdAt', now);
	m.set('archived', false);
	m.set('mergedInto', null);
	m.set('merge', null);
	m.set('splitFrom', splitFrom);
	return m;
}

/** Well-formed provenance entries only, with exactly their fields (exports check them strictly). */
function readSources(entries: unknown[]): Provenance[] {
	const out: Provenance[] = [];
	for (const e of entries) {
		if (typeof e !== 'object' || e === null) continue;
		const r = e as Partial<Record<keyof Provenance, unknown>>;
		const { reportSlug, reportTitle, itemId, kind, sectionId, sectionLabel, quote } = r;
		if (
			typeof reportSlug !== 'string' ||
			typeof reportTitle !== 'string' ||
			typeof itemId !== 'string' ||
			typeof kind !== 'string' ||
			!Object.hasOwn(ITEM_KINDS, kind) ||
			typeof sectionId !== 'string' ||
			typeof sectionLabel !== 'string' ||
			typeof quote !== 'string'
		)
			continue;
		out.push({
			reportSlug,
			reportTitle,
			itemId,
			kind: kind as ItemKind,
			sectionId,
			sectionLabel,
			quote
		});
	}
	return out;
}

/**
 * A card as stored: `sources` are its own and `mergedFrom` and `labels` empty until `compose`
 * fills them in.
 */
function readOwn(id: string, m: Y.Map<unknown>, comments: number): CardView {
	const sources = m.get('sources');
	const createdBy = m.get('createdBy');
	const title = m.get('title');
	const note = m.get('note');
	const own = sources instanceof Y.Array ? readSources(sources.toArray()) : [];
	return {
		id,
		title: title instanceof Y.Text ? title.toString() : '',
		titleEn: str(m.get('titleEn')),
		note: note instanceof Y.Text ? note.toString() : '',
		lane: str(m.get('lane')),
		order: str(m.get('order'), 'a0'),
		kind: oneOf(CARD_KINDS, m.get('kind'), 'note'),
		sources: own,
		ownSources: own,
		group: typeof m.get('group') === 'string' ? (m.get('group') as string) : null,
		createdBy: isAuthor(createdBy) ? { id: createdBy.id, name: createdBy.name } : null,
		createdAt: typeof m.get('createdAt') === 'number' ? (m.get('createdAt') as number) : 0,
		archived: m.get('archived') === true,
		mergedInto: typeof m.get('mergedInto') === 'string' ? (m.get('mergedInto') as string) : null,
		merge: readMark(m.get('merge')),
		splitFrom: typeof m.get('splitFrom') === 'string' ? (m.get('splitFrom') as string) : null,
		mergedFrom: [],
		labels: [],
		comments
	};
}

/** What readBoard and getCard need besides one card's own fields, read once. */
interface Context {
	/** A card as stored, read at most once (getCard reads only the few it needs). */
	card(id: string): CardView | undefined;
	/** targetId → ids of the cards merged directly into it. */
	mergedInto: Map<string, string[]>;
	labelsOf: Map<string, string[]>;
}

function readContext(doc: Y.Doc, labels: readonly LabelView[]): Context {
	const comments = commentsOf(doc);
	const cards = cardsOf(doc);
	const read = new Map<string, CardView>();
	const card = (id: string) => {
		let c = read.get(id);
		const m = c ? undefined : cards.get(id);
		if (m) read.set(id, (c = readOwn(id, m, comments.get(id)?.length ?? 0)));
		return c;
	};
	const mergedInto = new Map<string, string[]>();
	for (const [id, m] of cards) {
		const into = m.get('mergedInto');
		if (typeof into !== 'string') continue;
		const list = mergedInto.get(into) ?? [];
		list.push(id);
		mergedInto.set(into, list);
	}
	const rank = new Map(labels.map((l, i) => [l.id, i]));
	const labelsOf = new Map<string, string[]>();
	for (const [key, on] of cardLabelsOf(doc)) {
		const k = parseCardLabelKey(key);
		if (on !== true || !k || !rank.has(k.labelId) || !cards.has(k.cardId)) continue;
		const list = labelsOf.get(k.cardId) ?? [];
		list.push(k.labelId);
		labelsOf.set(k.cardId, list);
	}
	for (const list of labelsOf.values()) list.sort((a, b) => rank.get(a)! - rank.get(b)!);
	return { card, mergedInto, labelsOf };
}

const byMergeTime = (ctx: Context) => (a: string, b: string) => {
	const ma = ctx.card(a)!.merge?.at ?? 0;
	const mb = ctx.card(b)!.merge?.at ?? 0;
	return ma !== mb ? ma - mb : a < b ? -1 : a > b ? 1 : 0;
};

/**
 * Fills in what merges and labels add to a card read by `readOwn`: every card merged into it
 * (recursively; a cycle from two concurrent opposite merges stops at the first repeat) and its
 * effective sources, deduplicated by item — old boards whose targets already hold copies read
 * the same. Only cards something was merged into pay for more than a lookup.
 */
function compose(ctx: Context, card: CardView): CardView {
	card.labels = ctx.labelsOf.get(card.id) ?? [];
	if (!ctx.mergedInto.has(card.id)) return card;
	const mergedFrom: MergedFromView[] = [];
	const seen = new Set([card.id]);
	const visit = (targetId: string) => {
		for (const id of [...(ctx.mergedInto.get(targetId) ?? [])].sort(byMergeTime(ctx))) {
			if (seen.has(id)) continue;
			seen.add(id);
			const m = ctx.card(id)!;
			mergedFrom.push({
				id,
				title: m.title,
				note: m.note,
				createdBy: m.createdBy,
				createdAt: m.createdAt,
				sources: m.ownSources,
				mergedInto: targetId,
				merge: m.merge
			});
			visit(id);
		}
	};
	visit(card.id);
	const sources: Provenance[] = [];
	const items = new Set<string>();
	for (const s of [...card.ownSources, ...mergedFrom.flatMap((m) => m.sources)]) {
		if (items.has(s.itemId)) continue;
		items.add(s.itemId);
		sources.push(s);
	}
	card.sources = sources;
	card.mergedFrom = mergedFrom;
	return card;
}

export function readLabels(doc: Y.Doc): LabelView[] {
	const labels: LabelView[] = [];
	for (const [id, m] of labelsOf(doc)) {
		labels.push({
			id,
			name: str(m.get('name')),
			color: oneOf(LABEL_COLORS, m.get('color'), 'gray'),
			order: str(m.get('order'), 'a0')
		});
	}
	return labels.sort(compareOrdered);
}

/** A plain, sorted view of the board for rendering, exports and tests. */
export function readBoard(doc: Y.Doc): BoardView {
	const lanes: LaneView[] = [];
	for (const [id, m] of lanesOf(doc)) {
		lanes.push({
			id,
			title: str(m.get('title')),
			preset: oneOf(PRESETS, m.get('preset'), 'custom'),
			order: str(m.get('order'), 'a0'),
			cards: []
		});
	}
	lanes.sort(compareOrdered);
	const labels = readLabels(doc);
	const byId = new Map(lanes.map((l) => [l.id, l]));
	const fallback = lanes.find((l) => l.preset === 'unsorted') ?? lanes[0];
	const archived: CardView[] = [];
	const ctx = readContext(doc, labels);
	for (const id of cardsOf(doc).keys()) {
		const card = compose(ctx, ctx.card(id)!);
		if (card.archived) {
			archived.push(card);
			continue;
		}
		// A card whose lane was deleted concurrently shows up in the unsorted lane, never vanishes.
		(byId.get(card.lane) ?? fallback)?.cards.push(card);
	}
	for (const l of lanes) l.cards.sort(compareOrdered);
	archived.sort((a, b) => a.createdAt - b.createdAt || compareOrdered(a, b));
	return { lanes, labels, archived };
}

export function getCard(doc: Y.Doc, cardId: string): CardView | null {
	const ctx = readContext(doc, readLabels(doc));
	const card = ctx.card(cardId);
	return card ? compose(ctx, card) : null;
}

function cardOrThrow(doc: Y.Doc, cardId: string): Y.Map<unknown> {
	const m = cardsOf(doc).get(cardId);
	if (!m) throw new BoardError('not_found');
	return m;
}

function laneCards(doc: Y.Doc, laneId: string, except: string | null) {
	const list: { id: string; order: string }[] = [];
	for (const [id, m] of cardsOf(doc)) {
		if (id === except || m.get('archived') === true || m.get('lane') !== laneId) continue;
		list.push({ id, order: str(m.get('order'), 'a0') });
	}
	return list.sort(compareOrdered);
}

export function addCard(
	doc: Y.Doc,
	input: { title: string; note?: string; lane: string; author: Author; now: number }
): string {
	if (cardsOf(doc).size >= LIMITS.cards) throw new BoardError('limit');
	if (!lanesOf(doc).has(input.lane)) throw new BoardError('not_found');
	if (!clipText(input.title, LIMITS.cardTitle).trim()) throw new BoardError('invalid');
	const id = generateLocalId();
	doc.transact(() => {
		const order = keyAtEnd(laneCards(doc, input.lane, null));
		const c: SeedCard = {
			title: input.title,
			titleEn: '',
			note: input.note ?? '',
			kind: 'note',
			sources: []
		};
		cardsOf(doc).set(id, cardMap(c, input.lane, order, input.author, input.now, null));
	});
	return id;
}

/** Moves a card to position `index` of `laneId` (its position among that lane's other cards). */
export function moveCard(doc: Y.Doc, cardId: string, laneId: string, index: number): void {
	const m = cardOrThrow(doc, cardId);
	if (!lanesOf(doc).has(laneId)) throw new BoardError('not_found');
	doc.transact(() => {
		m.set('order', keyAt(laneCards(doc, laneId, cardId), index));
		if (m.get('lane') !== laneId) m.set('lane', laneId);
	});
}

/**
 * Replaces a Y.Text's content with `next` by editing only the changed middle, so an edit from
 * a plain text field merges with someone else's concurrent typing instead of overwriting it.
 */
export function replaceText(t: Y.Text, next: string, max: number): void {
	const value = clipText(next, max);
	const prev = t.toString();
	if (prev === value) return;
	let start = 0;
	while (start < prev.length && start < value.length && prev[start] === value[start]) start++;
	let endPrev = prev.length;
	let endNext = value.length;
	while (endPrev > start && endNext > start && prev[endPrev - 1] === value[endNext - 1]) {
		endPrev--;
		endNext--;
	}
	const apply = () => {
		if (endPrev > start) t.delete(start, endPrev - start);
		if (endNext > start) t.insert(start, value.slice(start, endNext));
	};
	if (t.doc) t.doc.transact(apply);
	else apply();
}

export function cardText(doc: Y.Doc, cardId: string, field: 'title' | 'note'): Y.Text {
	return text(cardOrThrow(doc, cardId), field);
}

export function setCardText(doc: Y.Doc, cardId: string, field: 'title' | 'note', value: string) {
	replaceText(
		cardText(doc, cardId, field),
		value,
		field === 'title' ? LIMITS.cardTitle : LIMITS.cardNote
	);
}

/**
 * Merges duplicates into `targetId`. The others leave the lanes (`archived`, pointing at the
 * target, with who merged them and when) but keep their own title, note, author and sources:
 * readers show them on the target as `mergedFrom` and count their sources as the target's. Only
 * cards on the lanes merge; `unmergeCard` undoes it.
 */
export function mergeCards(
	doc: Y.Doc,
	targetId: string,
	otherIds: readonly string[],
	by: Author,
	now: number
): void {
	const target = cardOrThrow(doc, targetId);
	if (target.get('archived') === true) throw new BoardError('invalid');
	const others = [...new Set(otherIds)]
		.filter((id) => id !== targetId)
		.map((id) => cardOrThrow(doc, id));
	if (others.length === 0 || others.some((m) => m.get('archived') === true))
		throw new BoardError('invalid');
	doc.transact(() => {
		for (const m of others) {
			m.set('archived', true);
			m.set('mergedInto', targetId);
			m.set('merge', { by: { id: by.id, name: by.name }, at: now });
		}
	});
}

/** Takes a merged card back out: it returns to its lane, as it was before the merge. */
export function unmergeCard(doc: Y.Doc, cardId: string): void {
	const m = cardOrThrow(doc, cardId);
	if (typeof m.get('mergedInto') !== 'string') throw new BoardError('invalid');
	doc.transact(() => {
		m.set('archived', false);
		m.set('mergedInto', null);
		m.set('merge', null);
	});
}

/** Who is offered to undo a merge: the person who made it, and facilitators. */
export function mayUnmerge(card: CardView, userId: number, role: BoardRole): boolean {
	if (card.mergedInto === null || role === 'observer') return false;
	return role === 'facilitator' || card.merge?.by.id === userId;
}

/** Takes a card off the lanes by hand; it keeps everything and can be restored. */
export function archiveCard(doc: Y.Doc, cardId: string): void {
	const m = cardOrThrow(doc, cardId);
	if (typeof m.get('mergedInto') === 'string') throw new BoardError('invalid');
	if (m.get('archived') === true) return;
	m.set('archived', true);
}

/** Puts a card archived by hand back in its lane (a merged card comes back with unmergeCard). */
export function restoreCard(doc: Y.Doc, cardId: string): void {
	const m = cardOrThrow(doc, cardId);
	if (typeof m.get('mergedInto') === 'string') throw new BoardError('invalid');
	if (m.get('archived') !== true) return;
	m.set('archived', false);
}

/**
 * Whether a card holds nothing that deleting it would lose (someone's typo): no sources of its
 * own, no comments, nothing merged into it — and it is not itself merged into another card,
 * whose record shows its wording (unmerge it first).
 */
export function isDeletable(card: CardView): boolean {
	return (
		card.ownSources.length === 0 &&
		card.comments === 0 &&
		card.mergedFrom.length === 0 &&
		card.mergedInto === null
	);
}

/** Whether this person may delete cards written by `card.createdBy` (contents aside). */
export function mayDeleteCard(card: CardView, userId: number, role: BoardRole): boolean {
	if (role === 'observer') return false;
	return role === 'facilitator' || card.createdBy?.id === userId;
}

/**
 * Deletes a card from the document — the only way one ever leaves it — with its labels. Only a
 * card `isDeletable` says holds nothing, by its author or a facilitator; anything else is
 * archived instead.
 */
export function deleteCard(doc: Y.Doc, cardId: string, by: { id: number }, role: BoardRole): void {
	const card = getCard(doc, cardId);
	if (!card) throw new BoardError('not_found');
	if (!mayDeleteCard(card, by.id, role)) throw new BoardError('forbidden');
	if (!isDeletable(card)) throw new BoardError('not_empty');
	const cardLabels = cardLabelsOf(doc);
	doc.transact(() => {
		cardsOf(doc).delete(cardId);
		for (const key of [...cardLabels.keys()])
			if (parseCardLabelKey(key)?.cardId === cardId) cardLabels.delete(key);
	});
}

/**
 * Splits a card: a new card beside it with its own title, carrying a copy of the sources the
 * card shows (its own and those of cards merged into it): either part may hold their wording.
 */
export function splitCard(
	doc: Y.Doc,
	cardId: string,
	input: { title: string; author: Author; now: number }
): string {
	const from = getCard(doc, cardId);
	if (!from) throw new BoardError('not_found');
	if (from.archived || !clipText(input.title, LIMITS.cardTitle).trim())
		throw new BoardError('invalid');
	if (cardsOf(doc).size >= LIMITS.cards) throw new BoardError('limit');
	const id = generateLocalId();
	doc.transact(() => {
		const lane = laneCards(doc, from.lane, null);
		const at = lane.findIndex((c) => c.id === cardId) + 1;
		const order = keyAt(lane, at);
		const seed: SeedCard = {
			title: input.title,
			titleEn: '',
			note: '',
			kind: from.kind,
			sources: from.sources
		};
		cardsOf(doc).set(id, cardMap(seed, from.lane, order, input.author, input.now, cardId));
	});
	return id;
}

export function setGroup(doc: Y.Doc, cardIds: readonly string[], group: string | null): void {
	const cards = cardIds.map((id) => cardOrThrow(doc, id));
	doc.transact(() => {
		for (const m of cards) m.set('group', group);
	});
}

export function addComment(
	doc: Y.Doc,
	cardId: string,
	input: { text: string; author: Author; now: number }
): string {
	cardOrThrow(doc, cardId);
	const body = clipText(input.text.trim(), LIMITS.comment).trim();
	if (!body) throw new BoardError('invalid');
	const comments = commentsOf(doc);
	if ((comments.get(cardId)?.length ?? 0) >= LIMITS.commentsPerCard) throw new BoardError('limit');
	const id = generateLocalId();
	doc.transact(() => {
		let list = comments.get(cardId);
		if (!list) {
			list = new Y.Array<StoredComment>();
			comments.set(cardId, list);
		}
		const by = { id: input.author.id, name: input.author.name };
		list.push([{ id, by, text: body, at: input.now }]);
	});
	return id;
}

/** A card's comments, oldest first; the ones a facilitator hid carry `hidden`. */
export function readComments(doc: Y.Doc, cardId: string): CommentView[] {
	const hidden = hiddenOf(doc);
	return (commentsOf(doc).get(cardId)?.toArray() ?? []).map((c) => ({
		...c,
		hidden: readMark(hidden.get(c.id))
	}));
}

/** Deletes one's own comment; nobody deletes anyone else's (a facilitator hides it instead). */
export function deleteComment(
	doc: Y.Doc,
	cardId: string,
	commentId: string,
	by: { id: number }
): void {
	const list = commentsOf(doc).get(cardId);
	const index = list?.toArray().findIndex((c) => c.id === commentId) ?? -1;
	if (!list || index < 0) throw new BoardError('not_found');
	if (list.get(index).by?.id !== by.id) throw new BoardError('forbidden');
	list.delete(index, 1);
}

/** A facilitator hides a comment from the board (it stays in the document, marked). */
export function hideComment(
	doc: Y.Doc,
	cardId: string,
	commentId: string,
	by: Author,
	now: number
): void {
	if (
		!commentsOf(doc)
			.get(cardId)
			?.toArray()
			.some((c) => c.id === commentId)
	)
		throw new BoardError('not_found');
	hiddenOf(doc).set(commentId, { by: { id: by.id, name: by.name }, at: now });
}

export function unhideComment(doc: Y.Doc, commentId: string): void {
	const hidden = hiddenOf(doc);
	if (hidden.has(commentId)) hidden.delete(commentId);
}

function laneOrThrow(doc: Y.Doc, laneId: string): Y.Map<unknown> {
	const m = lanesOf(doc).get(laneId);
	if (!m) throw new BoardError('not_found');
	return m;
}

const laneTitle = (title: string) => clipText(title.trim(), LIMITS.laneTitle).trim();

export function addLane(doc: Y.Doc, title: string): string {
	if (lanesOf(doc).size >= LIMITS.lanes) throw new BoardError('limit');
	const name = laneTitle(title);
	if (!name) throw new BoardError('invalid');
	const id = generateLocalId();
	doc.transact(() => {
		const order = keyAtEnd(readBoard(doc).lanes);
		lanesOf(doc).set(id, laneMap(name, 'custom', order));
	});
	return id;
}

/** Renames a lane; an empty name gives a preset lane back its translated default name. */
export function renameLane(doc: Y.Doc, laneId: string, title: string): void {
	const m = laneOrThrow(doc, laneId);
	const name = laneTitle(title);
	if (!name && m.get('preset') === 'custom') throw new BoardError('invalid');
	if (m.get('title') !== name) m.set('title', name);
}

export function moveLane(doc: Y.Doc, laneId: string, index: number): void {
	const m = laneOrThrow(doc, laneId);
	const others = readBoard(doc).lanes.filter((l) => l.id !== laneId);
	m.set('order', keyAt(others, index));
}

/**
 * Deletes a lane; its cards (archived ones too, so a restore finds a lane) go to the unsorted
 * lane in the same transaction. Only their `lane` changes, so they sit among the unsorted cards
 * by their order keys. The unsorted lane itself is never deleted.
 */
export function deleteLane(doc: Y.Doc, laneId: string): void {
	const m = laneOrThrow(doc, laneId);
	if (m.get('preset') === 'unsorted') throw new BoardError('invalid');
	let unsorted: string | null = null;
	for (const [id, l] of lanesOf(doc)) if (l.get('preset') === 'unsorted') unsorted = id;
	if (unsorted === null) throw new BoardError('invalid');
	const target = unsorted;
	doc.transact(() => {
		for (const card of cardsOf(doc).values())
			if (card.get('lane') === laneId) card.set('lane', target);
		lanesOf(doc).delete(laneId);
	});
}

function labelOrThrow(doc: Y.Doc, labelId: string): Y.Map<unknown> {
	const m = labelsOf(doc).get(labelId);
	if (!m) throw new BoardError('not_found');
	return m;
}

const labelName = (name: string) => clipText(name.trim(), LIMITS.labelName).trim();

function isLabelColor(v: unknown): v is LabelColor {
	return (LABEL_COLORS as readonly unknown[]).includes(v);
}

/** A facilitator defines a label for the board (e.g. 短期 / 中期 / 長期). */
export function addLabel(doc: Y.Doc, input: { name: string; color: LabelColor }): string {
	if (labelsOf(doc).size >= LIMITS.labels) throw new BoardError('limit');
	const name = labelName(input.name);
	if (!name || !isLabelColor(input.color)) throw new BoardError('invalid');
	const id = generateLocalId();
	doc.transact(() => {
		const m = new Y.Map<unknown>();
		m.set('name', name);
		m.set('color', input.color);
		m.set('order', keyAtEnd(readLabels(doc)));
		labelsOf(doc).set(id, m);
	});
	return id;
}

export function updateLabel(
	doc: Y.Doc,
	labelId: string,
	input: { name?: string; color?: LabelColor }
): void {
	const m = labelOrThrow(doc, labelId);
	const name = input.name === undefined ? undefined : labelName(input.name);
	if (name === '' || (input.color !== undefined && !isLabelColor(input.color)))
		throw new BoardError('invalid');
	doc.transact(() => {
		if (name !== undefined && m.get('name') !== name) m.set('name', name);
		if (input.color !== undefined && m.get('color') !== input.color) m.set('color', input.color);
	});
}

export function moveLabel(doc: Y.Doc, labelId: string, index: number): void {
	const m = labelOrThrow(doc, labelId);
	m.set(
		'order',
		keyAt(
			readLabels(doc).filter((l) => l.id !== labelId),
			index
		)
	);
}

/** Deletes a label and takes it off every card, in one transaction. */
export function deleteLabel(doc: Y.Doc, labelId: string): void {
	labelOrThrow(doc, labelId);
	const cardLabels = cardLabelsOf(doc);
	doc.transact(() => {
		for (const key of [...cardLabels.keys()])
			if (parseCardLabelKey(key)?.labelId === labelId) cardLabels.delete(key);
		labelsOf(doc).delete(labelId);
	});
}

/** Puts a label on a card (`on`) or takes it off; anyone who may edit cards may. */
export function setCardLabel(doc: Y.Doc, cardId: string, labelId: string, on: boolean): void {
	const key = cardLabelKey(cardId, labelId);
	const cardLabels = cardLabelsOf(doc);
	if (!on) {
		if (cardLabels.has(key)) cardLabels.delete(key);
		return;
	}
	cardOrThrow(doc, cardId);
	labelOrThrow(doc, labelId);
	if (cardLabels.get(key) !== true) cardLabels.set(key, true);
}
