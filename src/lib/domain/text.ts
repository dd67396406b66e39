/**
 * INP-03: text never carries C0 control characters other than tab, line feed and carriage return
 * (nor DEL). PostgreSQL refuses NUL outright; refusing the whole class keeps both backends alike.
 */
export function hasControlChars(s: string): boolean {
	for (let i = 0; i < s.length; i++) {
		if (isControl(s.charCodeAt(i))) return true;
	}
	return false;
}

function isControl(c: number): boolean {
	return (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f;
}

/**
 * The text with those control characters removed: what writers into the shared board document
 * store, so an honest client never sends text the realtime server refuses.
 */
export function stripControlChars(s: string): string {
	if (!hasControlChars(s)) return s;
	let out = '';
	for (let i = 0; i < s.length; i++) if (!isControl(s.charCodeAt(i))) out += s[i];
	return out;
}
