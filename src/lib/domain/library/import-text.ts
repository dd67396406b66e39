/**
 * Clean-up of text extracted from a report (PDF text layer, DOCX, Markdown, plain text) before
 * outline detection and candidate rules run on it. The cleaned text is what curators quote: a
 * quote must be a verbatim substring of it, so the clean-up only removes what the extraction
 * added (page numbers, running headers and footers, line breaks in the middle of sentences,
 * hyphenation of English words) and never rewrites characters — full-width and half-width forms
 * stay as the source prints them (no NFKC).
 */

export interface CleanedText {
	text: string;
	/** Where each page starts in `text` (offset), in page order; one entry per page of input. */
	pageStarts: number[];
}

/** Characters that end a sentence, possibly followed by closing brackets. */
const SENTENCE_END = /[。．！？!?」』）)】》]\s*$/u;

/**
 * A line that begins a new block even without a blank line before it: bullets, numbered and
 * bracketed headings, footnote bodies. Joining it to the previous line would glue a heading or a
 * bullet into the sentence above.
 */
const BLOCK_START =
	/^\s*(?:[-‐–—・･●○◆◇■□▪▶►✓✔※＊*•]|[①-⑳⑴-⒇❶-❿]|[ⅰ-ⅿ]+[)）]|[Ⅰ-Ⅻ][.．、\s]|#{1,6}\s|第[0-9０-９一二三四五六七八九十百]+[章節部編]|[（(][0-9０-９一二三四五六七八九十ア-ン][)）]|[0-9０-９]{1,2}(?:[.．][0-9０-９]{1,2})*[.．、)）]?\s*(?![0-9０-９年月日%％.．])[^\s]|[ア-ン][.．、)）]|【|《|〔|＜|<|\uf000-\uf8ff)/u;

/** A footnote body: a one- or two-digit number, a space, then text that is not a date or quantity. */
const FOOTNOTE = /^\s*\d{1,2}\s+(?![0-9０-９年月日%％.．,，])\S/u;

/** Page numbers as printed alone on a line: `12`, `- 12 -`, `－12－`, `12 / 40`, `p. 12`, `(12)`. */
const PAGE_NUMBER =
	/^\s*(?:[-－—–]\s*[0-9０-９]{1,4}\s*[-－—–]|[0-9０-９]{1,4}(?:\s*[/／]\s*[0-9０-９]{1,4})?|[pP]\.?\s*[0-9]{1,4}|[（(][0-9０-９]{1,4}[)）]|[0-9０-９]{1,4}\s*(?:ページ|頁))\s*$/u;

const ASCII_WORD_END = /[A-Za-z0-9]$/u;
const ASCII_WORD_START = /^[A-Za-z0-9]/u;

export function isPageNumberLine(line: string): boolean {
	return PAGE_NUMBER.test(line);
}

/** Digits replaced so that "報告書 3" and "報告書 4" compare equal as a running header. */
function shapeOf(line: string): string {
	return line.trim().replace(/[0-9０-９]+/gu, '#');
}

/**
 * Lines repeated at the top or bottom of many pages: running headers and footers (a title, a
 * chapter name, "© 2025 ..."). Needs pages; a plain text without page breaks keeps all its lines,
 * because there a repeated short line is more often a label (【現状・課題】) than a header.
 */
export function runningLines(pages: readonly string[]): Set<string> {
	const found = new Set<string>();
	if (pages.length < 3) return found;
	const counts = new Map<string, number>();
	for (const page of pages) {
		const lines = page.split('\n').filter((l) => l.trim() !== '' && !isPageNumberLine(l));
		const edges = new Set([...lines.slice(0, 2), ...lines.slice(-2)].map(shapeOf));
		for (const s of edges) counts.set(s, (counts.get(s) ?? 0) + 1);
	}
	const needed = Math.max(3, Math.ceil(pages.length * 0.4));
	for (const [shape, n] of counts) if (n >= needed && shape.length <= 80) found.add(shape);
	return found;
}

/** Typical length of a full line of body text: lines much shorter than it end a paragraph. */
function typicalLineLength(lines: readonly string[]): number {
	const lengths = lines
		.map((l) => l.trim().length)
		.filter((n) => n >= 10)
		.sort((a, b) => a - b);
	if (lengths.length === 0) return 0;
	// The upper quartile: most body lines run to the right margin.
	return lengths[Math.floor(lengths.length * 0.75)] ?? 0;
}

interface Line {
	text: string;
	page: number;
}

/**
 * Should `next` continue the sentence of `prev` (one logical line), or start a block of its own?
 */
function continues(prev: string, next: Line, typical: number): boolean {
	if (SENTENCE_END.test(prev)) return false;
	if (BLOCK_START.test(next.text) || FOOTNOTE.test(next.text)) return false;
	if (BLOCK_START.test(prev) && prev.length < typical * 0.6) return false;
	// A short line is a title or the last line of a paragraph; body lines run to the margin.
	if (typical > 0 && prev.trim().length < typical * 0.6) return false;
	return true;
}

function glue(prev: string, next: string): string {
	const a = prev.replace(/\s+$/u, '');
	const b = next.replace(/^\s+/u, '');
	// "inter-" + "national": a word hyphenated at the margin.
	if (/[A-Za-z]-$/u.test(a) && /^[a-z]/u.test(b)) return a.slice(0, -1) + b;
	if (ASCII_WORD_END.test(a) && ASCII_WORD_START.test(b)) return `${a} ${b}`;
	return a + b;
}

/**
 * Cleans extracted text. `pages` is the text of each page (PDF) or a single string (anything else;
 * form feeds in it are read as page breaks, as pdftotext writes them).
 */
export function cleanImportedText(pages: readonly string[] | string): CleanedText {
	const pageTexts = (typeof pages === 'string' ? pages.split('\f') : [...pages]).map((p) =>
		repairPdfCharacters(dropControlChars(p.replace(/\r\n?/gu, '\n')))
	);
	const running = runningLines(pageTexts);

	const lines: Line[] = [];
	pageTexts.forEach((page, index) => {
		for (const raw of page.split('\n')) {
			const text = raw.replace(/\s+$/u, '');
			// Blank lines are dropped too: PDF extraction leaves them in the middle of sentences
			// (between the lines of one paragraph), so they say nothing about where blocks end.
			if (text.trim() === '' || isPageNumberLine(text) || running.has(shapeOf(text))) continue;
			lines.push({ text, page: index });
		}
	});
	const typical = typicalLineLength(lines.map((l) => l.text));

	const blocks: { text: string; page: number }[] = [];
	for (const line of lines) {
		const last = blocks.at(-1);
		if (last && continues(last.text, line, typical)) last.text = glue(last.text, line.text);
		else blocks.push({ text: line.text.replace(/^\s+/u, ''), page: line.page });
	}

	let text = '';
	const pageStarts: number[] = [];
	for (const block of blocks) {
		if (text !== '') text += '\n';
		while (pageStarts.length <= block.page) pageStarts.push(text.length);
		text += block.text;
	}
	while (pageStarts.length < pageTexts.length) pageStarts.push(text.length);
	return { text, pageStarts };
}

/**
 * Characters that PDF fonts map wrongly and no report prints: Kangxi and CJK radicals (⽇ for
 * 日, ⼈ for 人; fonts share one glyph between the radical and the ideograph and their ToUnicode
 * table names the radical) become the ideograph, and a hyphenation point ‧ between kana or
 * kanji is the middle dot ・ the glyph stood for. Width forms are not touched.
 */
export function repairPdfCharacters(s: string): string {
	return s
		.replace(
			/[\u2e80-\u2eff\u2f00-\u2fdf]/gu,
			(ch) => RADICAL_SUPPLEMENT[ch] ?? ch.normalize('NFKC')
		)
		.replace(
			/(?<=[\p{sc=Han}\p{sc=Katakana}\p{sc=Hiragana}ー])\u2027(?=[\p{sc=Han}\p{sc=Katakana}\p{sc=Hiragana}])/gu,
			'・'
		);
}

/**
 * CJK Radicals Supplement forms that Japanese fonts share with a common kanji. Unicode gives them
 * no compatibility mapping (NFKC leaves them), so the pairs are listed: those that occur in
 * Japanese text printed with Noto CJK, Source Han and the MS fonts.
 */
const RADICAL_SUPPLEMENT: Record<string, string> = {
	'⺟': '母',
	'⺠': '民',
	'⻁': '虎',
	'⻄': '西',
	'⻆': '角',
	'⻉': '貝',
	'⻋': '車',
	'⻑': '長',
	'⻘': '青',
	'⻝': '食',
	'⻤': '鬼',
	'⻨': '麦',
	'⻩': '黄',
	'⻫': '斉',
	'⻭': '歯',
	'⻯': '竜',
	'⻲': '亀'
};

/** C0 controls other than tab and line feed, and DEL: extraction debris, never text (INP-03). */
function dropControlChars(s: string): string {
	let out = '';
	for (const ch of s) {
		const c = ch.charCodeAt(0);
		if ((c < 0x20 && c !== 0x09 && c !== 0x0a) || c === 0x7f) continue;
		out += ch;
	}
	return out;
}

/** The page (1-based) that the offset `at` of the cleaned text lies on. */
export function pageAt(pageStarts: readonly number[], at: number): number {
	let page = 1;
	for (let i = 0; i < pageStarts.length; i++) if ((pageStarts[i] ?? 0) <= at) page = i + 1;
	return page;
}
