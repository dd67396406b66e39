import { analyseImport, type ImportAnalysis } from '../../domain/library/import-pipeline';
import { extractInWorker } from './extract';
import { ImportError } from './import-error';
import { IMPORT_LIMITS, type ImportLimits } from './limits';
import { decodeText, sourceFormat, type SourceFormat } from './sniff';

export interface SourceFile {
	/** The file name as uploaded: its extension must agree with the bytes. */
	name: string;
	bytes: Uint8Array;
}

export interface SourceAnalysis extends ImportAnalysis {
	format: SourceFormat;
	encoding: 'utf-8' | 'shift_jis' | null;
	/** Pages read (PDF); 1 for other formats. */
	pageCount: number;
}

/**
 * An uploaded report, from bytes to candidates: checks the size and the format, extracts the
 * text (PDF and DOCX in a worker thread), cleans it and runs the outline and candidate rules.
 * Throws ImportError with a code the page can explain; stores nothing.
 */
export async function analyseSource(
	file: SourceFile,
	limits: ImportLimits = IMPORT_LIMITS
): Promise<SourceAnalysis> {
	if (file.bytes.length > limits.maxBytes)
		throw new ImportError('too_large', String(file.bytes.length));
	const format = sourceFormat(file.name, file.bytes);
	let pages: string[];
	let encoding: SourceAnalysis['encoding'] = null;
	if (format === 'pdf' || format === 'docx') {
		pages = await extractInWorker(format, file.bytes, limits);
	} else {
		const decoded = decodeText(file.bytes);
		encoding = decoded.encoding;
		if (decoded.text.length > limits.maxChars) throw new ImportError('too_much_text');
		pages = [decoded.text];
	}
	const chars = pages.reduce((n, p) => n + p.replace(/\s+/gu, '').length, 0);
	if (format === 'pdf' && chars < Math.max(20, pages.length * 10))
		throw new ImportError('pdf_no_text');
	if (chars === 0) throw new ImportError('no_text');
	// Plain text keeps its form feeds as page breaks (cleanImportedText splits on them).
	const analysis = analyseImport(format === 'pdf' ? pages : (pages[0] ?? ''));
	return { ...analysis, format, encoding, pageCount: analysis.pageStarts.length };
}
