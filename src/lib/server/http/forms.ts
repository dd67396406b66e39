import type { z } from 'zod';
import { issueToFieldError, type FieldError } from '../../domain/forms';

export type FormResult<T> =
	| { ok: true; data: T }
	| { ok: false; errors: Record<string, FieldError>; values: Record<string, string> };

/** Fields whose values are never sent back to the page. */
const SECRET = /password/u;

/**
 * Reads a form against a schema (INP-01): every field single-valued text, unknown fields
 * refused by the strict schema, errors keyed by field. The values come back (passwords excepted)
 * so the page can show the form as it was sent.
 */
export function readForm<S extends z.ZodType>(form: FormData, schema: S): FormResult<z.infer<S>> {
	const raw: Record<string, string> = Object.create(null) as Record<string, string>;
	const errors: Record<string, FieldError> = Object.create(null) as Record<string, FieldError>;
	for (const key of new Set(form.keys())) {
		const all = form.getAll(key);
		const [first] = all;
		if (all.length !== 1 || typeof first !== 'string') {
			errors[key] = { key: 'error.invalid' };
			continue;
		}
		raw[key] = first;
	}
	const values: Record<string, string> = {};
	for (const [k, v] of Object.entries(raw)) if (!SECRET.test(k)) values[k] = v;
	if (Object.keys(errors).length > 0) return { ok: false, errors, values };
	const parsed = schema.safeParse(raw);
	if (parsed.success) return { ok: true, data: parsed.data };
	for (const issue of parsed.error.issues) {
		const field = issue.path.length > 0 ? String(issue.path[0]) : '_form';
		if (issue.code === 'unrecognized_keys') {
			errors._form = { key: 'error.generic' };
			continue;
		}
		errors[field] ??= issueToFieldError(issue);
	}
	return { ok: false, errors, values };
}

export interface FormFailure {
	errors: Record<string, FieldError>;
	values: Record<string, string>;
}

/** One shape for every failed form, so pages read `form.errors.<field>` without narrowing. */
export function formFailure(
	errors: Record<string, FieldError>,
	values: Record<string, string> = {}
): FormFailure {
	return { errors, values };
}
