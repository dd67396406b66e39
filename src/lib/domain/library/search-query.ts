import { z } from 'zod';
import { hasControlChars } from '../text';
import { reportSlug } from './seed-schema';
import {
	ACTORS,
	ITEM_KINDS,
	THEMES,
	type ActorKey,
	type ItemKind,
	type ThemeKey
} from './vocabulary';

/** The query a search box may hold. Longer input is refused with a message, not cut silently. */
export const SEARCH_QUERY_MAX = 200;
/** Beyond this many pages a query is too broad to page through; narrow it instead. */
export const SEARCH_PAGE_MAX = 500;

export interface SearchFilters {
	/** Free text; empty lists everything the other filters allow. */
	q: string;
	report?: string;
	kind?: ItemKind;
	theme?: ThemeKey;
	actor?: ActorKey;
	horizon?: number;
}

export interface SearchQuery extends SearchFilters {
	page: number;
}

export type SearchField = keyof SearchQuery;

const keysOf = <T extends Record<string, unknown>>(o: T) =>
	Object.keys(o) as [keyof T & string, ...(keyof T & string)[]];

const fields = {
	q: z
		.string()
		.max(SEARCH_QUERY_MAX)
		.refine((s) => !hasControlChars(s)),
	report: reportSlug,
	kind: z.enum(keysOf(ITEM_KINDS)),
	theme: z.enum(keysOf(THEMES)),
	actor: z.enum(keysOf(ACTORS)),
	horizon: z.coerce.number().int().min(2000).max(2100),
	page: z.coerce.number().int().min(1).max(SEARCH_PAGE_MAX)
} as const;

export type SearchParamsResult =
	| { ok: true; query: SearchQuery }
	/** `query` keeps every valid parameter, so the form can show them while naming the bad ones. */
	| { ok: false; query: SearchQuery; invalid: SearchField[] };

/**
 * Reads a search from URL parameters (`/library/search?q=…&kind=…`), as a GET form sends it: an
 * empty value means "any" (the selects' first option), and only the first of a repeated
 * parameter counts. Each parameter is checked on its own so one bad value does not lose the rest.
 */
export function parseSearchParams(params: URLSearchParams): SearchParamsResult {
	const query: SearchQuery = { q: '', page: 1 };
	const invalid: SearchField[] = [];
	for (const name of Object.keys(fields) as SearchField[]) {
		const raw = params.get(name);
		if (raw === null || raw.trim() === '') continue;
		const parsed = fields[name].safeParse(raw);
		if (!parsed.success) {
			invalid.push(name);
			continue;
		}
		Object.assign(query, { [name]: parsed.data });
	}
	return invalid.length === 0 ? { ok: true, query } : { ok: false, query, invalid };
}

/** The URL parameters of a search: the inverse of parseSearchParams, without empty values. */
export function searchParamsOf(query: Partial<SearchQuery>): URLSearchParams {
	const params = new URLSearchParams();
	for (const name of Object.keys(fields) as SearchField[]) {
		const value = query[name];
		if (value === undefined || value === '' || (name === 'page' && value === 1)) continue;
		params.set(name, String(value));
	}
	return params;
}

/** True when the search asks for anything at all (text or a filter). */
export function isSearching(filters: SearchFilters): boolean {
	return (
		filters.q.trim() !== '' ||
		filters.report !== undefined ||
		filters.kind !== undefined ||
		filters.theme !== undefined ||
		filters.actor !== undefined ||
		filters.horizon !== undefined
	);
}
