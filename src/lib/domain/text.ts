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
