import { z } from 'zod';
import { itemId, reportSlug } from '../library/seed-schema';
import { ITEM_KINDS, THEMES, type ItemKind, type ThemeKey } from '../library/vocabulary';
import { LIMITS } from './limits';

/**
 * Narrowing what a template would put on a new board, before anything is created: by kind,
 * report, section and theme, and then by ticking single items. The same functions serve the
 * preview (GET, filters in the URL), the live count in the browser and the create action, which
 * re-checks the ticked ids against the template on the server instead of trusting the form.
 */

/** Above this many cards the page says the board is a lot for one session. */
export const SESSION_CARDS = 60;

/** What narrowing needs to know about one item the template offers. */
export interface CandidateItem {
	id: string;
	kind: ItemKind;
	reportSlug: string;
	sectionId: string;
	themes: readonly string[];
}

/**
 * Within one dimension any listed value matches; across dimensions all must. An empty list
 * means "no narrowing" except for kinds, where at least one must be chosen.
 */
export interface Narrowing {
	kinds: readonly ItemKind[];
	reports: readonly string[];
	sections: readonly string[];
	themes: readonly string[];
}

export const DEFAULT_KINDS: readonly ItemKind[] = ['issue', 'proposal'];

/** How many items each value of a dimension would add, given the other dimensions' narrowing. */
export interface Facets {
	kinds: Record<string, number>;
	reports: Record<string, number>;
	sections: Record<string, number>;
	themes: Record<string, number>;
}

type Dimension = keyof Narrowing;
const DIMENSIONS: readonly Dimension[] = ['kinds', 'reports', 'sections', 'themes'];

function valuesOf(item: CandidateItem, d: Dimension): readonly string[] {
	if (d === 'kinds') return [item.kind];
	if (d === 'reports') return [item.reportSlug];
	if (d === 'sections') return [item.sectionId];
	return item.themes;
}

function passes(item: CandidateItem, d: Dimension, n: Narrowing): boolean {
	const wanted = n[d] as readonly string[];
	if (d !== 'kinds' && wanted.length === 0) return true;
	return valuesOf(item, d).some((v) => wanted.includes(v));
}

/**
 * The items that pass every dimension, in the candidates' order, and facet counts: for each
 * dimension, how many items each value has among those passing the *other* dimensions (so a
 * count says what ticking that value would give).
 */
export function narrowItems<T extends CandidateItem>(
	candidates: readonly T[],
	n: Narrowing
): { matched: T[]; facets: Facets } {
	const facets: Facets = { kinds: {}, reports: {}, sections: {}, themes: {} };
	const matched: T[] = [];
	for (const item of candidates) {
		const fails = DIMENSIONS.filter((d) => !passes(item, d, n));
		if (fails.length === 0) matched.push(item);
		// Counted for a dimension when the item passes all the others.
		for (const d of DIMENSIONS) {
			if (fails.length > 1 || (fails.length === 1 && fails[0] !== d)) continue;
			for (const v of new Set(valuesOf(item, d))) facets[d][v] = (facets[d][v] ?? 0) + 1;
		}
	}
	return { matched, facets };
}

/**
 * The narrowing with values the candidates do not have dropped (a section of the report chosen
 * before, say, after switching to another report): kept, they would silently match nothing.
 * Kinds stay as chosen.
 */
export function relevantNarrowing(candidates: readonly CandidateItem[], n: Narrowing): Narrowing {
	const present = {
		reports: new Set<string>(),
		sections: new Set<string>(),
		themes: new Set<string>()
	};
	for (const item of candidates) {
		present.reports.add(item.reportSlug);
		present.sections.add(item.sectionId);
		for (const th of item.themes) present.themes.add(th);
	}
	return {
		kinds: n.kinds,
		reports: n.reports.filter((v) => present.reports.has(v)),
		sections: n.sections.filter((v) => present.sections.has(v)),
		themes: n.themes.filter((v) => present.themes.has(v))
	};
}

/** The values each narrowing dimension can take among the candidates, in order of appearance. */
export function offeredValues(candidates: readonly CandidateItem[]): {
	reports: string[];
	sections: { reportSlug: string; ids: string[] }[];
	themes: Set<string>;
} {
	const sections = new Map<string, Set<string>>();
	const themes = new Set<string>();
	for (const c of candidates) {
		let ids = sections.get(c.reportSlug);
		if (!ids) {
			ids = new Set();
			sections.set(c.reportSlug, ids);
		}
		ids.add(c.sectionId);
		for (const th of c.themes) themes.add(th);
	}
	return {
		reports: [...sections.keys()],
		sections: [...sections].map(([reportSlug, ids]) => ({ reportSlug, ids: [...ids] })),
		themes
	};
}

export interface SectionGroup<T> {
	sectionId: string;
	items: T[];
}
export interface ReportGroup<T> {
	reportSlug: string;
	count: number;
	sections: SectionGroup<T>[];
}

/** Items grouped by report, then section, both in order of first appearance. */
export function groupByReportAndSection<T extends CandidateItem>(
	items: readonly T[]
): ReportGroup<T>[] {
	const reports = new Map<string, ReportGroup<T>>();
	const sections = new Map<string, SectionGroup<T>>();
	for (const item of items) {
		let report = reports.get(item.reportSlug);
		if (!report) {
			report = { reportSlug: item.reportSlug, count: 0, sections: [] };
			reports.set(item.reportSlug, report);
		}
		report.count++;
		const key = `${item.reportSlug}\u0000${item.sectionId}`;
		let section = sections.get(key);
		if (!section) {
			section = { sectionId: item.sectionId, items: [] };
			sections.set(key, section);
			report.sections.push(section);
		}
		section.items.push(item);
	}
	return [...reports.values()];
}

export type PickProblem = 'none' | 'outside' | 'too_many';

/**
 * The ticked ids as the board will get them: each must be one of the narrowed items (anything
 * else means the form was not the one we served, or the library changed under it), at least one,
 * at most LIMITS.seedItems. Returned in the items' order, repeats dropped.
 */
export function checkPicks(
	matched: readonly CandidateItem[],
	picks: readonly string[]
): { ok: true; ids: string[] } | { ok: false; problem: PickProblem } {
	const wanted = new Set(picks);
	const known = new Set(matched.map((m) => m.id));
	for (const id of wanted) if (!known.has(id)) return { ok: false, problem: 'outside' };
	const ids = matched.filter((m) => wanted.has(m.id)).map((m) => m.id);
	if (ids.length === 0) return { ok: false, problem: 'none' };
	if (ids.length > LIMITS.seedItems) return { ok: false, problem: 'too_many' };
	return { ok: true, ids };
}

/** Parameter names of the narrowing, shared by the preview URL and the create form. */
export const NARROW_PARAMS = {
	kinds: 'kinds',
	reports: 'in_report',
	sections: 'in_section',
	themes: 'in_theme',
	/** Present when the narrowing form was submitted, so "no kind ticked" is not "defaults". */
	submitted: 'narrowed',
	picks: 'pick'
} as const;

const sectionId = z.string().regex(/^[a-z][a-z0-9]*-s[a-z0-9.-]*$/u);
const kindKey = z.enum(Object.keys(ITEM_KINDS) as [ItemKind, ...ItemKind[]]);
const themeKey = z.enum(Object.keys(THEMES) as [ThemeKey, ...ThemeKey[]]);
/** Generous: a dimension never has more values than this in the library. */
const MAX_VALUES = 200;

function listOf(values: readonly unknown[], schema: z.ZodType<string>): string[] | null {
	const out = new Set<string>();
	for (const v of values) {
		const parsed = schema.safeParse(v);
		if (!parsed.success) return null;
		out.add(parsed.data);
	}
	return out.size > MAX_VALUES ? null : [...out];
}

/**
 * Reads the narrowing from the preview URL or the create form. Malformed values make the whole
 * narrowing invalid (null) rather than being dropped silently: a crafted request changes nothing.
 */
export function readNarrowing(params: {
	getAll(name: string): unknown[];
	has(name: string): boolean;
}): Narrowing | null {
	const submitted = params.has(NARROW_PARAMS.submitted);
	const rawKinds = params.getAll(NARROW_PARAMS.kinds);
	const kinds = listOf(rawKinds, kindKey) as ItemKind[] | null;
	const reports = listOf(params.getAll(NARROW_PARAMS.reports), reportSlug);
	const sections = listOf(params.getAll(NARROW_PARAMS.sections), sectionId);
	const themes = listOf(params.getAll(NARROW_PARAMS.themes), themeKey);
	if (!kinds || !reports || !sections || !themes) return null;
	return {
		kinds: kinds.length === 0 && !submitted ? DEFAULT_KINDS : kinds,
		reports,
		sections,
		themes
	};
}

/** The ticked item ids of the create form, or null if any is malformed or there are too many. */
export function readPicks(params: { getAll(name: string): unknown[] }): string[] | null {
	const raw = params.getAll(NARROW_PARAMS.picks);
	if (raw.length > LIMITS.seedItems * 4) return null;
	const ids = new Set<string>();
	for (const v of raw) {
		const parsed = itemId.safeParse(v);
		if (!parsed.success) return null;
		ids.add(parsed.data);
	}
	return [...ids];
}
