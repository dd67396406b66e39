/**
 * Quotes in the seed files are verbatim excerpts of the PDF-extracted source text. The extraction
 * breaks lines (and sometimes words) wherever the PDF did, so a quote is matched against the
 * source with every run of whitespace, line breaks included, read as one space.
 */
export function normalizeWhitespace(text: string): string {
	return text.replace(/\s+/gu, ' ').trim();
}

/** Where `quote` starts in the normalised source, or -1 when it is not there verbatim. */
export function locateQuote(normalizedSource: string, quote: string): number {
	return normalizedSource.indexOf(normalizeWhitespace(quote));
}
