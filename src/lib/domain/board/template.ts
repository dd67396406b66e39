import { z } from 'zod';
import { itemId, reportSlug } from '../library/seed-schema';
import { ITEM_KINDS, THEMES } from '../library/vocabulary';
import { line } from '../forms';
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
/** How a board was started, as stored with it: a template, or a follow-up of an earlier board. */
export type BoardTemplate = SeedTemplate | { type: 'followup'; from: string };

export const newBoardFields = z.strictObject({
	title: line(120),
	purpose: z.string().trim().max(1000, { error: 'error.too_long' }),
	workshop_date: z
		.string()
		.trim()
		.regex(/^(\d{4}-\d{2}-\d{2})?$/u, { error: 'error.invalid' })
		.transform((v) => v || null)
});

/**
 * Reads the creation form: the board fields plus the template, whose shape depends on the chosen
 * source (`source` = report | theme | selection) and whose multi-valued fields (kinds, items) the
 * generic single-value form reader does not handle.
 */
export function readTemplate(form: FormData) {
	const source = form.get('source');
	const kindsOf = () => form.getAll('kinds').filter((v): v is string => typeof v === 'string');
	if (source === 'report')
		return boardTemplate.safeParse({ type: 'report', slug: form.get('report'), kinds: kindsOf() });
	if (source === 'theme')
		return boardTemplate.safeParse({ type: 'theme', theme: form.get('theme'), kinds: kindsOf() });
	return boardTemplate.safeParse({
		type: 'selection',
		ids: form.getAll('item').filter((v): v is string => typeof v === 'string')
	});
}
