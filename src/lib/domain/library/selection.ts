import { itemId } from './seed-schema';

/**
 * A hand-picked selection of library items, carried in the URL (`?item=tv20-001&item=im19-014`)
 * so that it survives without JavaScript and can be shared; the board issue starts a board from
 * one. Ids are checked against the published pattern only: whether they exist is the server's
 * business when it uses them.
 */
export const SELECTION_PARAM = 'item';
/** A workshop board of more cards than this is not a workshop; it also bounds the URL length. */
export const SELECTION_MAX = 100;

export interface Selection {
	/** Valid ids, first occurrence order, no repeats, at most SELECTION_MAX. */
	ids: string[];
	/** How many values were dropped as malformed or over the cap (repeats are not counted). */
	dropped: number;
}

export function normaliseSelection(values: readonly string[]): Selection {
	const ids: string[] = [];
	const seen = new Set<string>();
	let dropped = 0;
	for (const raw of values) {
		const id = raw.trim();
		if (seen.has(id)) continue;
		if (!itemId.safeParse(id).success || ids.length >= SELECTION_MAX) {
			dropped++;
			continue;
		}
		seen.add(id);
		ids.push(id);
	}
	return { ids, dropped };
}

export function parseSelection(params: URLSearchParams): Selection {
	return normaliseSelection(params.getAll(SELECTION_PARAM));
}

export function serialiseSelection(ids: readonly string[]): URLSearchParams {
	const params = new URLSearchParams();
	for (const id of normaliseSelection(ids).ids) params.append(SELECTION_PARAM, id);
	return params;
}
