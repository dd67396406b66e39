/**
 * EXP-02: a spreadsheet treats text starting with = + - @ (and TAB, CR, NUL, which some
 * applications strip first) as a formula. Such text gets a leading apostrophe — in CSV and in
 * XLSX — so `=HYPERLINK("http://x","y")` arrives as text, not as a live link. Numbers are not
 * text and are never guarded: a count of -5 stays a number (EXP-03).
 */
const FORMULA_START = /^[=+\-@\t\r\0]/u;

export function guardFormula(s: string): string {
	return FORMULA_START.test(s) ? `'${s}` : s;
}
