/**
 * The names and shapes of a board's shared Yjs document, in one place. `doc.ts` writes and reads
 * the document through these names; the realtime server checks every client update against the
 * same shapes (who may write what, which fields are text, which never change once written).
 *
 *   meta            Y.Map  { version }                                             server only
 *   facilitation    Y.Map  phase, lock, timer, spotlight                           server only
 *   votes           Y.Map  vote progress (counts only)                             server only
 *   lanes           Y.Map  laneId → Y.Map LaneFields
 *   cards           Y.Map  cardId → Y.Map CardFields
 *   comments        Y.Map  cardId → Y.Array<Comment>
 *   labels          Y.Map  labelId → Y.Map LabelFields                             facilitators
 *   cardLabels      Y.Map  `${cardId}/${labelId}` → true   (flat keys: two people labelling the
 *                                                           same card at once both stick)
 *   hiddenComments  Y.Map  commentId → { by: Author, at }                          facilitators
 */
import { LIMITS } from './limits';

export const ROOTS = {
	meta: 'meta',
	facilitation: 'facilitation',
	votes: 'votes',
	lanes: 'lanes',
	cards: 'cards',
	comments: 'comments',
	labels: 'labels',
	cardLabels: 'cardLabels',
	hiddenComments: 'hiddenComments'
} as const;
export type RootName = (typeof ROOTS)[keyof typeof ROOTS];

/** Roots only the server writes (through HTTP actions); no socket may touch them. */
export const SERVER_ROOTS: ReadonlySet<string> = new Set([
	ROOTS.meta,
	ROOTS.facilitation,
	ROOTS.votes
]);

/** Roots only facilitators change from a socket. */
export const FACILITATOR_ROOTS: ReadonlySet<string> = new Set([ROOTS.labels, ROOTS.hiddenComments]);

/**
 * How each card field is stored and who may change it once the card exists.
 * - `text`: a Y.Text, edited inside (never replaced).
 * - `value`: a plain value, replaced by a later write.
 * - `fixed`: written when the card is created, never changed (provenance and authorship).
 * - `append`: a Y.Array whose entries are never removed or rewritten.
 */
export type FieldRule = 'text' | 'value' | 'fixed' | 'append';

export const CARD_FIELDS = {
	title: 'text',
	note: 'text',
	titleEn: 'fixed',
	lane: 'value',
	order: 'value',
	kind: 'fixed',
	sources: 'append',
	group: 'value',
	createdBy: 'fixed',
	createdAt: 'fixed',
	/** Hidden from the lanes (archived by hand, or merged into another card). */
	archived: 'value',
	/** The card this one was merged into; null when not merged. */
	mergedInto: 'value',
	/** Who merged this card and when ({ by: Author, at }); lets that person undo the merge. */
	merge: 'value',
	splitFrom: 'fixed'
} as const satisfies Record<string, FieldRule>;
export type CardField = keyof typeof CARD_FIELDS;

export const LANE_FIELDS = {
	title: 'value',
	preset: 'fixed',
	order: 'value'
} as const satisfies Record<string, FieldRule>;

export const LABEL_FIELDS = {
	name: 'value',
	color: 'value',
	order: 'value'
} as const satisfies Record<string, FieldRule>;

/** The key of one label on one card in the `cardLabels` root. */
export function cardLabelKey(cardId: string, labelId: string): string {
	return `${cardId}/${labelId}`;
}

export function parseCardLabelKey(key: string): { cardId: string; labelId: string } | null {
	const at = key.indexOf('/');
	if (at <= 0 || at === key.length - 1 || key.indexOf('/', at + 1) !== -1) return null;
	return { cardId: key.slice(0, at), labelId: key.slice(at + 1) };
}

/** Label colours a facilitator chooses from: named, so the UI maps them to accessible pairs. */
export const LABEL_COLORS = [
	'red',
	'orange',
	'yellow',
	'green',
	'teal',
	'blue',
	'purple',
	'gray'
] as const;
export type LabelColor = (typeof LABEL_COLORS)[number];

/**
 * Card, lane, label and comment ids, and the lane / card names a value field points at: the app
 * writes 15-character base32 ids (`generateLocalId`); anything far longer is not one of ours.
 */
export const ID_MAX = 64;

/**
 * The text a person types, per field: its limit and whether it may hold line breaks. The forms
 * use single-line inputs for titles and names and text areas for notes and comments; `doc.ts`
 * cleans what it writes with `cleanText` and the realtime server refuses anything else.
 */
export interface TextRule {
	max: number;
	multiline: boolean;
}

export const TEXT_RULES = {
	cardTitle: { max: LIMITS.cardTitle, multiline: false },
	cardNote: { max: LIMITS.cardNote, multiline: true },
	laneTitle: { max: LIMITS.laneTitle, multiline: false },
	labelName: { max: LIMITS.labelName, multiline: false },
	comment: { max: LIMITS.comment, multiline: true }
} as const satisfies Record<string, TextRule>;
