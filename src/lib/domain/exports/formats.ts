import type { BoardAction } from '../board/roles';
import { parseStrictInt } from '../numbers';

/**
 * Export formats and who may have each (enforced in the export route, documented in the
 * README): the action list and revealed results for every member, observers included; minutes
 * and the full JSON record for those who took part; the audit log for facilitators.
 */
export const EXPORT_FORMATS = {
	csv: 'export',
	xlsx: 'export',
	ics: 'export',
	print: 'export',
	'results-csv': 'export',
	'results-xlsx': 'export',
	md: 'export_record',
	json: 'export_record',
	'audit-csv': 'audit'
} as const satisfies Record<string, BoardAction>;

export type ExportFormat = keyof typeof EXPORT_FORMATS;

type ResultsFormat = 'results-csv' | 'results-xlsx';

export type ExportRequest =
	| { format: 'print' }
	| { format: Exclude<ExportFormat, ResultsFormat | 'print'> }
	| { format: ResultsFormat; session: number };

/** The requests that produce a file (print is a page). */
export type FileRequest = Exclude<ExportRequest, { format: 'print' }>;

/** Reads `?format=…[&session=…]`: known keys only, each once, the session strictly numeric. */
export function parseExportQuery(params: URLSearchParams): ExportRequest | null {
	for (const key of new Set(params.keys()))
		if ((key !== 'format' && key !== 'session') || params.getAll(key).length !== 1) return null;
	const format = params.get('format');
	if (format === null || !Object.hasOwn(EXPORT_FORMATS, format)) return null;
	const f = format as ExportFormat;
	const session = params.get('session');
	if (f === 'results-csv' || f === 'results-xlsx') {
		const id = session === null ? null : parseStrictInt(session, 1, 9_999_999);
		return id === null ? null : { format: f, session: id };
	}
	if (session !== null) return null;
	return { format: f };
}
