import { error } from '@sveltejs/kit';
import { isBoardId } from '../../domain/board/id';
import { parseStrictInt } from '../../domain/numbers';

/** The board id of a route, or 404 before anything else runs. */
export function boardParam(params: { id: string }): string {
	if (!isBoardId(params.id)) error(404, 'Not Found');
	return params.id;
}

/** A numeric record id in a route (vote session, decision): digits only (INP-08), else 404. */
export function recordParam(value: string): number {
	const n = parseStrictInt(value, 1, 9_999_999);
	if (n === null) error(404, 'Not Found');
	return n;
}

/**
 * Takes a repeated field (checkboxes) out of a form: its values, each matching `pattern`, at
 * most `max` of them and no repeats; the rest of the form goes on to `readForm`, which insists
 * on single values. Null when the field breaks any of those rules.
 */
export function takeRepeated(
	form: FormData,
	name: string,
	pattern: RegExp,
	max: number
): { values: string[]; rest: FormData } | null {
	const values: string[] = [];
	for (const v of form.getAll(name)) {
		if (typeof v !== 'string' || !pattern.test(v) || values.includes(v)) return null;
		values.push(v);
	}
	if (values.length > max) return null;
	const rest = new FormData();
	for (const [k, v] of form) if (k !== name) rest.append(k, v);
	return { values, rest };
}
