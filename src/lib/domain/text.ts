/**
 * INP-03: text never carries C0 control characters other than tab, line feed and carriage return
 * (nor DEL). PostgreSQL refuses NUL outright; refusing the whole class keeps both backends alike.
 */
export function hasControlChars(s: string): boolean {
	for (let i = 0; i < s.length; i++) {
		const c = s.charCodeAt(i);
		if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f) return true;
	}
	return false;
}

/**
 * For text people type into a board (INP-03): no C0 or C1 control character and no DEL; tab,
 * line feed and carriage return only in fields that take several lines. (C1 matters here and
 * not above: these strings reach CSV, Markdown and the projector, where U+0085 or U+009B are
 * line breaks or terminal escapes.)
 */
export function hasBoardControlChars(s: string, multiline: boolean): boolean {
	for (let i = 0; i < s.length; i++) {
		const c = s.charCodeAt(i);
		if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
			if (multiline && (c === 0x09 || c === 0x0a || c === 0x0d)) continue;
			return true;
		}
	}
	return false;
}

/**
 * What a board field keeps of typed or pasted text: control characters removed; in single-line
 * fields, tabs and line breaks become spaces; at most `max` characters. The same rule the
 * realtime server enforces, so nothing an honest client writes is refused.
 */
export function cleanBoardText(s: string, multiline: boolean, max: number): string {
	let out = '';
	for (const ch of s) {
		const c = ch.charCodeAt(0);
		if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
			if (c === 0x09 || c === 0x0a || c === 0x0d) out += multiline ? ch : ' ';
			continue;
		}
		out += ch;
	}
	return sliceWhole(out, max);
}

/** The first `max` UTF-16 units, without splitting a surrogate pair. */
function sliceWhole(s: string, max: number): string {
	if (s.length <= max) return s;
	const code = s.charCodeAt(max - 1);
	return s.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}
