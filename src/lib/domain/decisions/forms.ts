import { z } from 'zod';
import { SECTORS } from '../accounts/sectors';
import { line } from '../forms';
import { strictInt } from '../numbers';
import { hasControlChars } from '../text';
import { ACTION_STATUSES } from './types';

/** Bounds on decisions and actions (INP-02): they bound pages and every export. */
export const DECISION_LIMITS = {
	text: 2000,
	rationale: 4000,
	dissent: 1000,
	/** Dissent rows on the form (decisionForm lists them); more go into a new revision. */
	dissentRows: 4,
	cardsPerDecision: 50,
	decisionsPerBoard: 500,
	actionsPerBoard: 2000,
	actionTitle: 300,
	ownerName: 200,
	notes: 2000
} as const;

/** Multi-line text: trimmed, may be empty, bounded, no control characters but tab and newlines. */
export const paragraph = (max: number) =>
	z
		.string()
		.trim()
		.max(max, { error: 'error.too_long' })
		.refine((s) => !hasControlChars(s), { error: 'error.control_chars' });

const required = (max: number) =>
	paragraph(max).refine((s) => s.length > 0, { error: 'error.required' });

/** Record ids in forms: positive, strictly parsed (INP-08). */
export const recordId = strictInt(1, 9_999_999);

const dissentSector = z.union([z.literal(''), z.enum(SECTORS)]).optional();
const dissentText = paragraph(DECISION_LIMITS.dissent).optional();

/** A decision or a new revision of one (the cards, a repeated field, are read separately). */
export const decisionForm = z.strictObject({
	text: required(DECISION_LIMITS.text),
	rationale: paragraph(DECISION_LIMITS.rationale),
	vote: z.union([z.literal(''), recordId]).optional(),
	dissent_sector_0: dissentSector,
	dissent_text_0: dissentText,
	dissent_sector_1: dissentSector,
	dissent_text_1: dissentText,
	dissent_sector_2: dissentSector,
	dissent_text_2: dissentText,
	dissent_sector_3: dissentSector,
	dissent_text_3: dissentText
});

/** The dissent rows of a decision form that have text, with their sector if one was picked. */
export function dissentFromForm(
	data: Record<string, unknown>
): { sector: (typeof SECTORS)[number] | null; text: string }[] {
	const out: { sector: (typeof SECTORS)[number] | null; text: string }[] = [];
	for (let i = 0; i < DECISION_LIMITS.dissentRows; i++) {
		const text = data[`dissent_text_${i}`];
		const sector = data[`dissent_sector_${i}`];
		if (typeof text !== 'string' || text === '') continue;
		out.push({ sector: SECTORS.find((s) => s === sector) ?? null, text });
	}
	return out;
}

/** YYYY-MM-DD of a real calendar day, this century or next. */
export const dueDate = z
	.string()
	.regex(/^\d{4}-\d{2}-\d{2}$/u, { error: 'error.invalid_date' })
	.refine(isCalendarDate, { error: 'error.invalid_date' });

function isCalendarDate(s: string): boolean {
	const [y, m, d] = s.split('-').map(Number) as [number, number, number];
	if (y < 2000 || y > 2199) return false;
	const t = new Date(Date.UTC(y, m - 1, d));
	return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/**
 * The owner field: "" (nobody yet), "u:<id>" (a member of the board) or "org" (the named
 * organisation in `owner_name`).
 */
const owner = z.string().regex(/^(|org|u:[1-9]\d{0,9})$/u, { error: 'error.invalid' });

const actionFields = {
	title: line(DECISION_LIMITS.actionTitle),
	owner,
	owner_name: paragraph(DECISION_LIMITS.ownerName).optional(),
	due: z.union([z.literal(''), dueDate]).optional()
};

export const newActionForm = z.strictObject({
	...actionFields,
	notes: paragraph(DECISION_LIMITS.notes).optional()
});

export const editActionForm = z.strictObject({ action: recordId, ...actionFields });

/** What owners may change: status and notes. */
export const progressForm = z.strictObject({
	action: recordId,
	status: z.enum(ACTION_STATUSES, { error: 'error.invalid' }),
	notes: paragraph(DECISION_LIMITS.notes).optional()
});

export type OwnerChoice =
	{ kind: 'none' } | { kind: 'member'; userId: number } | { kind: 'organisation'; name: string };

/** Reads the owner fields; an organisation needs a name. */
export function ownerFromForm(
	ownerField: string,
	ownerName: string | undefined
): OwnerChoice | null {
	if (ownerField === '') return { kind: 'none' };
	if (ownerField === 'org') return ownerName ? { kind: 'organisation', name: ownerName } : null;
	return { kind: 'member', userId: Number(ownerField.slice(2)) };
}
