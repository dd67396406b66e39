import { z } from 'zod';
import { SECTORS } from '../accounts/sectors';
import { ITEM_KINDS, type ItemKind } from '../library/vocabulary';
import type { Provenance } from '../board/doc';

/**
 * Shapes of the JSON kept in decision and action rows (and in the JSON export). Provenance is
 * copied in when recorded, so a decision still says where it came from after the card changed.
 */
export const provenanceSchema = z.strictObject({
	reportSlug: z.string(),
	reportTitle: z.string(),
	itemId: z.string(),
	kind: z.enum(Object.keys(ITEM_KINDS) as [ItemKind, ...ItemKind[]]),
	sectionId: z.string(),
	sectionLabel: z.string(),
	quote: z.string()
}) satisfies z.ZodType<Provenance>;

/**
 * A card merged into another one ("統合元"), as a record keeps it: its wording and who wrote it,
 * so a merge never loses a contribution. Its sources are among the surviving card's.
 */
export const mergedRefSchema = z.strictObject({
	title: z.string(),
	note: z.string(),
	/** Who wrote the merged card (null for seeded cards written before authors were kept). */
	author: z.string().nullable(),
	/** Who merged it (null for merges made before merges were recorded). */
	mergedBy: z.string().nullable()
});
export type MergedRef = z.infer<typeof mergedRefSchema>;

export const cardRefSchema = z.strictObject({
	id: z.string(),
	title: z.string(),
	sources: z.array(provenanceSchema),
	/** Absent in decisions recorded before merges kept their cards. */
	mergedFrom: z.array(mergedRefSchema).optional()
});
export type CardRef = z.infer<typeof cardRefSchema>;

export const dissentSchema = z.strictObject({
	/** The sector whose position this is, when one was given. */
	sector: z.enum(SECTORS).nullable(),
	text: z.string()
});
export type Dissent = z.infer<typeof dissentSchema>;

export const cardRefsSchema = z.array(cardRefSchema);
/** Cards as an action lists them (their sources are kept once, on the action). */
export const cardLinksSchema = z.array(z.strictObject({ id: z.string(), title: z.string() }));
export const dissentsSchema = z.array(dissentSchema);
export const sourcesSchema = z.array(provenanceSchema);
