import { z } from 'zod';

/**
 * INP-08: whole numbers from forms are plain decimal digits, nothing else — no sign, exponent,
 * hex, spaces or fractions ("1e3", "0x10", " 5 ", "-1", "5.0" are all refused) — and in range.
 * Seven digits at most, far below 2^53, so the conversion is always exact.
 */
const DIGITS = /^(0|[1-9]\d{0,6})$/u;

export function parseStrictInt(s: string, min: number, max: number): number | null {
	if (!DIGITS.test(s)) return null;
	const n = Number(s);
	return n >= min && n <= max ? n : null;
}

/**
 * The same rule as a zod field (form values are strings). A refinement rather than min/max, so
 * the error reads "out of range" instead of the generic length messages of forms.ts.
 */
export const strictInt = (min: number, max: number) =>
	z
		.string()
		.regex(DIGITS, { error: 'error.invalid' })
		.transform(Number)
		.refine((n) => n >= min && n <= max, { error: 'error.out_of_range' });
