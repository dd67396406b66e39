import * as Y from 'yjs';
import type { ItemKind } from '../library/vocabulary';
import { generateLocalId } from './id';
import { LIMITS } from './limits';
import { compareOrdered, keyAt, keyAtEnd } from './order';

/**
 * The shape of a board's shared Yjs document, and the only code that reads or writes it. Every
 * client holds the whole document, so nothing secret belongs here (ballots stay in SQL).
 *
 *   meta      Y.Map   { version }
 *   lanes     Y.Map   laneId → Y.Map { title, preset, order }
 *   cards     Y.Map   cardId → Y.Map { title: Y.Text, note: Y.Text, titleEn, lane, order, kind,
 *                                      sources: Y.Array<Provenance>, group, createdBy, createdAt,
 *                                      archived, mergedInto, splitFrom }
 *   comments  Y.Map   cardId → Y.Array<Comment>
 *
 * Titles and notes are Y.Text so two people typing in the same field merge instead of
 * overwriting each other.
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

export interface CardView {
	id: string;
	title: string;
	titleEn: string;
	note: string;
	lane: string;
	order: string;
	kind: CardKind;
	sources: Provenance[];
	group: string | null;
	createdBy: Author | null;
	createdAt: number;
	archived: boolean;
	mergedInto: string | null;
	splitFrom: string | null;
	comments: number;
}

export interface LaneView {
	id: string;
	title: string;
	preset: LanePreset;
	order: string;
	cards: CardView[];
}

export interface CommentView {
	id: string;
	by: Author;
	text: string;
	at: number;
}

export interface BoardView {
	lanes: LaneView[];
	/** Cards merged into others, kept so their history and votes still resolve. */
	archived: CardView[];
}

export interface SeedCard {
	title: string;
	titleEn: string;
	note: string;
	kind: CardKind;
	sources: Provenance[];
}

const lanesOf = (doc: Y.Doc) => doc.getMap<Y.Map<unknown>>('lanes');
const cardsOf = (doc: Y.Doc) => doc.getMap<Y.Map<unknown>>('cards');
const commentsOf = (doc: Y.Doc) => doc.getMap<Y.Array<CommentView>>('comments');

export class BoardError extends Error {
	constructor(readonly code: 'not_found' | 'limit' | 'invalid') {
		super(code);
	}
}

function str(v: unknown, fallback = ''): string {
	return typeof v === 'string' ? v : fallback;
}

function text(m: Y.Map<unknown>, key: string): Y.Text {
	const t = m.get(key);
	if (t instanceof Y.Text) return t;
	throw new BoardError('invalid');
}

/** Writes a new board: the preset lanes and the seeded cards, all in the unsorted lane. */
export function seedBoard(doc: Y.Doc, cards: readonly SeedCard[], author: Author, now: number) {
	if (cards.length > LIMITS.seedItems) throw new BoardError('limit');
	doc.transact(() => {
		doc.getMap('meta').set('version', DOC_VERSION);
		const lanes = lanesOf(doc);
		let unsorted = '';
		let prev: string | null = null;
		for (const preset of LANE_PRESETS) {
			const id = generateLocalId();
			const order = keyAt(prev === null ? [] : [{ id: '', order: prev }], 1);
			prev = order;
			lanes.set(id, laneMap('', preset, order));
			if (preset === 'unsorted') unsorted = id;
		}
		let last: string | null = null;
		for (const c of cards) {
			const order = keyAt(last === null ? [] : [{ id: '', order: last }], 1);
			last = order;
			cardsOf(doc).set(generateLocalId(), cardMap(c, unsorted, order, author, now, null));
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

function cardMap(
	c: SeedCard,
	lane: string,
	order: string,
	author: Author | null,
	now: number,
	splitFrom: string | null
): Y.Map<unknown> {
	const m = new Y.Map<unknown>();
	m.set('title', new Y.Text(c.title.slice(0, LIMITS.cardTitle)));
	m.set('note', new Y.Text(c.note.slice(0, LIMITS.cardNote)));
	m.set('titleEn', c.titleEn.slice(0, LIMITS.cardTitle));
	m.set('lane', lane);
	m.set('order', order);
	m.set('kind', c.kind);
	m.set('sources', Y.Array.from(c.sources.map((s) => ({ ...s }))));
	m.set('group', null);
	m.set('createdBy', author);
	m.set('createdAt', now);
	m.set('archived', false);
	m.set('mergedInto', null);
	m.set('splitFrom', splitFrom);
	return m;
}

function readCard(id: string, m: Y.Map<unknown>, comments: number): CardView {
	const sources = m.get('sources');
	const createdBy = m.get('createdBy') as Author | null | undefined;
	return {
		id,
		title: m.get('title') instanceof Y.Text ? (m.get('title') as Y.Text).toString() : '',
		titleEn: str(m.get('titleEn')),
		note: m.get('note') instanceof Y.Text ? (m.get('note') as Y.Text).toString() : '',
		lane: str(m.get('lane')),
		order: str(m.get('order'), 'a0'),
		kind: (str(m.get('kind'), 'note') as CardKind) ?? 'note',
		sources: sources instanceof Y.Array ? (sources.toArray() as Provenance[]) : [],
		group: typeof m.get('group') === 'string' ? (m.get('group') as string) : null,
		createdBy: createdBy && typeof createdBy === 'object' ? createdBy : null,
		createdAt: typeof m.get('createdAt') === 'number' ? (m.get('createdAt') as number) : 0,
		archived: m.get('archived') === true,
		mergedInto: typeof m.get('mergedInto') === 'string' ? (m.get('mergedInto') as string) : null,
		splitFrom: typeof m.get('splitFrom') === 'string' ? (m.get('splitFrom') as string) : null,
		comments
	};
}

/** A plain, sorted view of the board for rendering, exports and tests. */
export function readBoard(doc: Y.Doc): BoardView {
	const lanes: LaneView[] = [];
	for (const [id, m] of lanesOf(doc)) {
		lanes.push({
			id,
			title: str(m.get('title')),
			preset: str(m.get('preset'), 'custom') as LanePreset,
			order: str(m.get('order'), 'a0'),
			cards: []
		});
	}
	lanes.sort(compareOrdered);
	const byId = new Map(lanes.map((l) => [l.id, l]));
	const fallback = lanes.find((l) => l.preset === 'unsorted') ?? lanes[0];
	const archived: CardView[] = [];
	const comments = commentsOf(doc);
	for (const [id, m] of cardsOf(doc)) {
		const card = readCard(id, m, comments.get(id)?.length ?? 0);
		if (card.archived) {
			archived.push(card);
			continue;
		}
		// A card whose lane was deleted concurrently shows up in the unsorted lane, never vanishes.
		(byId.get(card.lane) ?? fallback)?.cards.push(card);
	}
	for (const l of lanes) l.cards.sort(compareOrdered);
	return { lanes, archived };
}

export function getCard(doc: Y.Doc, cardId: string): CardView | null {
	const m = cardsOf(doc).get(cardId);
	return m ? readCard(cardId, m, commentsOf(doc).get(cardId)?.length ?? 0) : null;
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
	const value = next.slice(0, max);
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
 * Merges duplicates into `targetId`: the target gains every source of the others (no source is
 * ever lost), the others are archived with a pointer to the target so history still resolves.
 */
export function mergeCards(doc: Y.Doc, targetId: string, otherIds: readonly string[]): void {
	const target = cardOrThrow(doc, targetId);
	const others = otherIds.filter((id) => id !== targetId).map((id) => cardOrThrow(doc, id));
	doc.transact(() => {
		const sources = target.get('sources') as Y.Array<Provenance>;
		const have = new Set(sources.toArray().map((s) => s.itemId));
		for (const m of others) {
			for (const s of (m.get('sources') as Y.Array<Provenance>).toArray()) {
				if (have.has(s.itemId)) continue;
				have.add(s.itemId);
				sources.push([{ ...s }]);
			}
			m.set('archived', true);
			m.set('mergedInto', targetId);
		}
	});
}

/** Splits a card: a new card beside it with its own title, carrying a copy of every source. */
export function splitCard(
	doc: Y.Doc,
	cardId: string,
	input: { title: string; author: Author; now: number }
): string {
	const from = readCard(cardId, cardOrThrow(doc, cardId), 0);
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
	const body = input.text.trim().slice(0, LIMITS.comment);
	if (!body) throw new BoardError('invalid');
	const comments = commentsOf(doc);
	const id = generateLocalId();
	doc.transact(() => {
		let list = comments.get(cardId);
		if (!list) {
			list = new Y.Array<CommentView>();
			comments.set(cardId, list);
		}
		if (list.length >= LIMITS.commentsPerCard) throw new BoardError('limit');
		list.push([{ id, by: input.author, text: body, at: input.now }]);
	});
	return id;
}

export function readComments(doc: Y.Doc, cardId: string): CommentView[] {
	return commentsOf(doc).get(cardId)?.toArray() ?? [];
}

export function addLane(doc: Y.Doc, title: string): string {
	if (lanesOf(doc).size >= LIMITS.lanes) throw new BoardError('limit');
	const id = generateLocalId();
	doc.transact(() => {
		const order = keyAtEnd(readBoard(doc).lanes);
		lanesOf(doc).set(id, laneMap(title.trim().slice(0, LIMITS.laneTitle), 'custom', order));
	});
	return id;
}

export function renameLane(doc: Y.Doc, laneId: string, title: string): void {
	const m = lanesOf(doc).get(laneId);
	if (!m) throw new BoardError('not_found');
	m.set('title', title.trim().slice(0, LIMITS.laneTitle));
}

export function moveLane(doc: Y.Doc, laneId: string, index: number): void {
	const m = lanesOf(doc).get(laneId);
	if (!m) throw new BoardError('not_found');
	const others = readBoard(doc).lanes.filter((l) => l.id !== laneId);
	m.set('order', keyAt(others, index));
}
