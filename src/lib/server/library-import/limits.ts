/**
 * Limits on a report brought in for import (issue 17). A report is a document people read: the
 * largest of the five seeds is a 134 kB text from a PDF of about 100 pages. These limits leave
 * room for a long basic plan, and keep a hostile or broken file from harming the server.
 */
export const IMPORT_LIMITS = {
	/** Largest upload accepted, in bytes (refused before anything is parsed). */
	maxBytes: 20 * 1024 * 1024,
	/** Most PDF pages read. */
	maxPages: 500,
	/** Most characters of extracted text (about 30 times the largest seed report). */
	maxChars: 4_000_000,
	/** Most bytes a DOCX may unpack to (all parts together): a zip bomb stops here. */
	maxUnpackedBytes: 100 * 1024 * 1024,
	/** Wall-clock time for extraction in the worker, in milliseconds. */
	timeMs: 30_000,
	/** Heap of the extraction worker, in megabytes. */
	workerHeapMb: 256
} as const;

export type ImportLimits = { [K in keyof typeof IMPORT_LIMITS]: number };
