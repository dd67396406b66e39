/**
 * The fields of a draft item that point at other items — its parent and its links — and its KPI
 * text, checked when a curator saves them by the rules validateSeed applies to a seed file
 * (validate-seed.ts), so that a value the seed checks would refuse at publication is refused at
 * once, with a reason the page can name. Items are named by their draft row id here; the seed
 * builder turns them into library ids.
 */
import { hasControlChars } from '../text';
import type { LinkBasis, LinkType } from './seed-schema';
import { SUBKINDS, type ItemKind } from './vocabulary';

export interface DraftLink {
	type: LinkType;
	/** Row id of the target item in the same draft. */
	target: number;
	basis: LinkBasis;
}

/** What a relation check refuses; each has a message `import.invalid.<reason>`. */
export type RelationProblem =
	| 'subkind'
	| 'kpi'
	| 'parentUnknown'
	| 'parentSelf'
	| 'parentLoop'
	| 'linkUnknown'
	| 'linkSelf'
	| 'linkDirection'
	| 'linkTooMany'
	| 'linkShape';

export const LINK_TYPES = ['addresses', 'restates'] as const satisfies readonly LinkType[];
export const LINK_BASES = ['stated', 'editorial'] as const satisfies readonly LinkBasis[];
/** As in the seed schema. */
export const KPI_MAX = 300;
export const LINKS_MAX = 20;

/** The other items of the draft, as far as the checks need them. */
export interface RelationItem {
	id: number;
	kind: ItemKind;
	parent: number | null;
}

export interface RelationPatch {
	subkind?: string | null;
	kpi?: string | null;
	parent?: number | null;
	links?: readonly DraftLink[];
}

/**
 * Checks `patch` for the item `self` (with its kind after the change) against the draft's items.
 * Returns the first problem, or null when every given field would pass the seed checks.
 */
export function checkRelations(
	self: { id: number; kind: ItemKind },
	patch: RelationPatch,
	items: readonly RelationItem[]
): RelationProblem | null {
	if (patch.subkind !== undefined && patch.subkind !== null && !(patch.subkind in SUBKINDS))
		return 'subkind';
	if (
		patch.kpi !== undefined &&
		patch.kpi !== null &&
		(patch.kpi.length === 0 || patch.kpi.length > KPI_MAX || hasControlChars(patch.kpi))
	)
		return 'kpi';
	const byId = new Map(items.map((i) => [i.id, i]));
	if (patch.parent !== undefined && patch.parent !== null) {
		if (patch.parent === self.id) return 'parentSelf';
		if (!byId.has(patch.parent)) return 'parentUnknown';
		// Walk up from the new parent: meeting this item again would close a loop.
		const seen = new Set<number>([self.id]);
		for (let p: number | null = patch.parent; p !== null; p = byId.get(p)?.parent ?? null) {
			if (seen.has(p)) return 'parentLoop';
			seen.add(p);
		}
	}
	if (patch.links !== undefined) {
		if (patch.links.length > LINKS_MAX) return 'linkTooMany';
		for (const l of patch.links) {
			if (
				!(LINK_TYPES as readonly string[]).includes(l.type) ||
				!(LINK_BASES as readonly string[]).includes(l.basis) ||
				!Number.isSafeInteger(l.target)
			)
				return 'linkShape';
			if (l.target === self.id) return 'linkSelf';
			const target = byId.get(l.target);
			if (!target) return 'linkUnknown';
			if (l.type === 'addresses' && (self.kind === 'issue' || target.kind !== 'issue'))
				return 'linkDirection';
		}
	}
	return null;
}

/** A curator's reference to an item: `#12` or `12` (the row id shown on the page), or null. */
export function parseItemRef(raw: string): number | null {
	const m = /^#?\s*(\d{1,12})$/u.exec(raw.trim());
	return m ? Number(m[1]) : null;
}
