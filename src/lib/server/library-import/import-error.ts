/**
 * Why an import was refused. Each code has a message in the catalogue (`import.error.<code>`),
 * in Japanese and English; nothing is stored when one is thrown.
 */
export const IMPORT_ERROR_CODES = [
	'empty',
	'too_large',
	'too_many_pages',
	'too_much_text',
	'unsupported_format',
	'extension_mismatch',
	'unknown_encoding',
	'pdf_encrypted',
	'pdf_corrupt',
	'pdf_no_text',
	'docx_corrupt',
	'docx_too_large_unpacked',
	'timeout',
	'out_of_memory',
	'no_text'
] as const;

export type ImportErrorCode = (typeof IMPORT_ERROR_CODES)[number];

export class ImportError extends Error {
	constructor(
		readonly code: ImportErrorCode,
		detail?: string
	) {
		super(detail ? `${code}: ${detail}` : code);
		this.name = 'ImportError';
	}
}

export function isImportErrorCode(s: unknown): s is ImportErrorCode {
	return typeof s === 'string' && (IMPORT_ERROR_CODES as readonly string[]).includes(s);
}
