/**
 * Excel keeps at most 32,767 characters (UTF-16 code units) in a cell: a longer text is cut or
 * the file refused, depending on the application. Exports cut such text themselves, keeping the
 * start and saying how much is left out, so a reader sees that the cell is incomplete and where
 * to find the full text. The cut text with its note stays within the limit.
 */
export const SPREADSHEET_CELL_LIMIT = 32_767;

/** The visible note that ends a cut cell, given how many characters it leaves out. */
export type TruncationNote = (omitted: number) => string;

export function fitCell(
	text: string,
	note: TruncationNote,
	limit: number = SPREADSHEET_CELL_LIMIT
): string {
	if (text.length <= limit) return text;
	// The note's length depends on the number it states, which depends on where the cut falls:
	// settle both (a shorter count can only shorten the note, so this ends in a few rounds).
	let keep = limit;
	let marker = '';
	for (;;) {
		const omitted = countCodePoints(text, keep);
		const next = note(omitted);
		if (next === marker) break;
		marker = next;
		keep = cutPoint(text, limit - marker.length);
	}
	return text.slice(0, keep) + marker;
}

/** Never split a surrogate pair: a lone half is not a character in any spreadsheet. */
function cutPoint(text: string, at: number): number {
	const end = Math.max(0, at);
	const last = text.charCodeAt(end - 1);
	return last >= 0xd800 && last <= 0xdbff ? end - 1 : end;
}

function countCodePoints(text: string, from: number): number {
	let n = 0;
	for (let i = from; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c < 0xd800 || c > 0xdbff || i + 1 >= text.length) n++;
		else {
			n++;
			i++;
		}
	}
	return n;
}
