/**
 * From extracted text to candidates: clean-up, outline, sentences, rules. The one code path that
 * the server's import, the unit tests and the import benchmark all go through.
 */
import { proposeCandidates, splitSentences, type Candidate } from './import-candidates';
import { detectOutline, type OutlineSection } from './import-outline';
import { cleanImportedText } from './import-text';

export interface ImportAnalysis {
	/** The cleaned text: every quote is a verbatim substring of it. */
	text: string;
	pageStarts: number[];
	outline: OutlineSection[];
	candidates: Candidate[];
	/** How many sentences the text was split into (candidates are a subset). */
	sentenceCount: number;
}

export function analyseImport(pages: readonly string[] | string): ImportAnalysis {
	const { text, pageStarts } = cleanImportedText(pages);
	const outline = detectOutline(text);
	const sentences = splitSentences(text, outline);
	return {
		text,
		pageStarts,
		outline,
		candidates: proposeCandidates(sentences, outline),
		sentenceCount: sentences.length
	};
}
