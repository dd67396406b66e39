/**
 * Text is folded before it is indexed and before it is searched for, so that full-width and
 * half-width forms (５Ｇ / 5G, ＡＩ / AI, ％ / %) and upper and lower case find each other:
 * NFKC, then lower case.
 *
 * Folding goes one code point at a time rather than over the whole string. That keeps a map from
 * every folded position back to the original text, which highlighting needs; the price is that
 * sequences NFKC would compose (half-width ｶ + ﾞ) stay apart — the curated texts have none, and
 * the index and the query are folded the same way, so they still find each other.
 */
export function fold(text: string): string {
	let out = '';
	for (const ch of text) out += foldCodePoint(ch);
	return out;
}

export interface FoldedText {
	folded: string;
	/** For each UTF-16 unit of `folded`: where the code point that produced it starts in the original. */
	start: number[];
	/** …and where it ends (exclusive). */
	end: number[];
}

export function foldWithMap(text: string): FoldedText {
	// Most text is already in NFKC and lowercases without changing length: then folding maps
	// every position to itself, and one native call per step beats a loop over code points.
	const lower = text.toLowerCase();
	if (lower.length === text.length && text.normalize('NFKC') === text) {
		const start = Array.from({ length: text.length }, (_, i) => i);
		return { folded: lower, start, end: start.map((i) => i + 1) };
	}
	let folded = '';
	const start: number[] = [];
	const end: number[] = [];
	let at = 0;
	for (const ch of text) {
		const f = foldCodePoint(ch);
		for (let i = 0; i < f.length; i++) {
			start.push(at);
			end.push(at + ch.length);
		}
		folded += f;
		at += ch.length;
	}
	return { folded, start, end };
}

function foldCodePoint(ch: string): string {
	// ASCII is already in normal form: skip the (comparatively slow) normalize call.
	return ch.charCodeAt(0) < 0x80 ? ch.toLowerCase() : ch.normalize('NFKC').toLowerCase();
}
