import { z } from 'zod';
import { itemId, reportSlug } from '../library/seed-schema';
import { ITEM_KINDS, THEMES, type ItemKind } from '../library/vocabulary';
import { line } from '../forms';
import { normaliseSelection, SELECTION_PARAM } from '../library/selection';
import { LIMITS } from './limits';

const kinds = z
	.array(z.enum(Object.keys(ITEM_KINDS) as ['issue', 'proposal', 'target']))
	.min(1, { error: 'error.required' });

/**
 * What a board is seeded from: one report (chosen kinds), one theme across all reports (chosen
 * kinds), or a hand-picked selection from the library. Stored with the board as its recipe.
 */
export const boardTemplate = z.discriminatedUnion('type', [
	z.strictObject({ type: z.literal('report'), slug: reportSlug, kinds }),
	z.strictObject({
		type: z.literal('theme'),
		theme: z.enum(Object.keys(THEMES) as [keyof typeof THEMES, ...(keyof typeof THEMES)[]]),
		kinds
	}),
	z.strictObject({
		type: z.literal('selection'),
		ids: z.array(itemId).min(1, { error: 'error.required' }).max(LIMITS.seedItems)
	})
]);

/** What a new board is seeded from, as chosen in the form. */
export type SeedTemplate = z.infer<typeof boardTemplate>;
/**
 * How a board was started, as stored with it: a template (and, when the facilitator narrowed it
 * before creating, the item ids they chose), or a follow-up of an earlier board.
 */
export type BoardTemplate =
	(SeedTemplate & { chosen?: readonly string[] }) | { type: 'followup'; from: string };

/** Where the chooser on /boards/new takes its candidate items from, before any narrowing. */
export const boardSource = z.discriminatedUnion('type', [
	z.strictObject({ type: z.literal('report'), slug: reportSlug }),
	z.strictObject({
		type: z.literal('theme'),
		theme: z.enum(Object.keys(THEMES) as [keyof typeof THEMES, ...(keyof typeof THEMES)[]])
	}),
	z.strictObject({
		type: z.literal('selection'),
		ids: z.array(itemId).min(1, { error: 'error.required' }).max(LIMITS.seedItems)
	})
]);
export type BoardSource = z.infer<typeof boardSource>;

/**
 * Reads the source from the preview URL or the create form (`source` = report | theme |
 * selection, with `report`, `theme` or the picked `item`s). `fallbackSlug` is the report a first
 * visit shows; a selection in the URL is the default when there is one.
 */
export function readSource(
	params: { get(name: string): unknown; getAll(name: string): unknown[] },
	fallbackSlug: string
) {
	// Malformed or surplus library picks are dropped, as the library's own pick list does.
	const { ids } = normaliseSelection(
		params.getAll(SELECTION_PARAM).filter((v): v is string => typeof v === 'string')
	);
	const source = params.get('source') ?? (ids.length > 0 ? 'selection' : 'report');
	if (source === 'report')
		return boardSource.safeParse({ type: 'report', slug: params.get('report') ?? fallbackSlug });
	if (source === 'theme')
		return boardSource.safeParse({ type: 'theme', theme: params.get('theme') ?? 'talent' });
	return boardSource.safeParse({ type: 'selection', ids });
}

/** The recipe stored with a board made from `source` with these kinds and chosen items. */
export function templateOf(
	source: BoardSource,
	kinds: readonly ItemKind[],
	chosen: readonly string[]
): BoardTemplate {
	const base: SeedTemplate =
		source.type === 'selection' ? source : { ...source, kinds: [...kinds] };
	return { ...base, chosen: [...chosen] };
}

export const newBoardFields = z.strictObject({
	title: line(120),
	purpose: z.string().trim().max(1000, { error: 'error.too_long' }),
	workshop_date: z
		.string()
		.trim()
		.regex(/^(\d{4}-\d{2}-\d{2})?$/u, { error: 'error.invalid' })
		.transform((v) => v || null)
});
