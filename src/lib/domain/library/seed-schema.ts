import { z } from 'zod';
import { hasControlChars } from '../text';
import { ACTORS, ITEM_KINDS, MODALITIES, REPORT_KINDS, SUBKINDS, THEMES } from './vocabulary';

/** The shape of `seeds/reports/<slug>.json`: one curated report. */

const keysOf = <T extends Record<string, unknown>>(o: T) =>
	Object.keys(o) as [keyof T & string, ...(keyof T & string)[]];

const text = (max: number) =>
	z
		.string()
		.min(1)
		.max(max)
		.refine((s) => !hasControlChars(s), 'control character');

export const reportSlug = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/u);
/** Item ids are `<report prefix>-<number>`; they are published and never renumbered or reused. */
export const itemId = z.string().regex(/^[a-z][a-z0-9]*-\d{3,4}$/u);
const sectionId = z.string().regex(/^[a-z][a-z0-9]*-s[a-z0-9.-]*$/u);

export const seedReport = z.strictObject({
	slug: reportSlug,
	prefix: z.string().regex(/^[a-z][a-z0-9]*$/u),
	source: z.string().regex(/^\d{3}_[0-9a-f]{16}\.txt$/u),
	title_ja: text(300),
	title_en: text(300),
	publisher_ja: text(200),
	publisher_en: text(200),
	/** ISO date, `YYYY-MM` or `YYYY-MM-DD`, as precise as the source allows. */
	date: z.string().regex(/^\d{4}-\d{2}(?:-\d{2})?$/u),
	/** Set when the date is not printed in the report but inferred. */
	date_note: text(300).nullable(),
	kind: z.enum(keysOf(REPORT_KINDS)),
	summary_ja: text(600),
	summary_en: text(600)
});

export const seedSection = z.strictObject({
	id: sectionId,
	parent: sectionId.nullable(),
	/** The numbering as printed (Ⅲ, 2.3, ①, (1), ア…), or null where the report prints none. */
	number: z.string().max(20).nullable(),
	title_ja: text(300),
	title_en: text(300)
});

export const seedLink = z.strictObject({
	type: z.enum(['addresses', 'restates']),
	target: itemId,
	/** `stated`: the report itself pairs them; `editorial`: a curator's judgement. */
	basis: z.enum(['stated', 'editorial'])
});

export const seedActor = z.strictObject({
	actor: z.enum(keysOf(ACTORS)),
	/** true when the report names the actor, false when the curator inferred it. */
	stated: z.boolean()
});

export const seedItem = z.strictObject({
	id: itemId,
	kind: z.enum(keysOf(ITEM_KINDS)),
	subkind: z.enum(keysOf(SUBKINDS)).nullable(),
	parent: itemId.nullable(),
	section: sectionId,
	title_ja: text(80),
	title_en: text(160),
	summary_ja: text(400),
	quote: text(200),
	themes: z
		.array(z.enum(keysOf(THEMES)))
		.min(1)
		.max(6),
	actors: z.array(seedActor).max(8),
	/** Target year or horizon the report attaches to the item. */
	horizon: z.number().int().min(2000).max(2100).nullable(),
	kpi: text(300).nullable(),
	modality: z.enum(keysOf(MODALITIES)).nullable(),
	links: z.array(seedLink).max(20),
	/**
	 * The PDF page the quote stands on. Imported reports carry it where the source is a PDF; the
	 * curated seeds quote plain-text sources and leave it out, hence optional (not nullable).
	 */
	page: z.number().int().min(1).max(100_000).optional()
});

export const seedFile = z.strictObject({
	schema_version: z.literal(1),
	report: seedReport,
	outline: z.array(seedSection).min(1),
	items: z.array(seedItem).min(1)
});

export type SeedFile = z.infer<typeof seedFile>;
export type SeedItem = z.infer<typeof seedItem>;
export type SeedSection = z.infer<typeof seedSection>;
export type SeedReport = z.infer<typeof seedReport>;
export type SeedLink = z.infer<typeof seedLink>;
export type LinkType = SeedLink['type'];
export type LinkBasis = SeedLink['basis'];
