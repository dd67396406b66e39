import { z } from 'zod';
import { boardExportV3 } from './schema';

/** Where the JSON Schema of the current export version lives in the repository. */
export const EXPORT_SCHEMA_FILE = 'schemas/board-export.v3.json';

/**
 * The JSON export's schema as a JSON Schema (draft 2020-12) document, generated from the zod
 * schema the server checks every export against, so the published file and the check cannot
 * drift apart (a unit test compares the file with this).
 */
export function exportJsonSchema(): Record<string, unknown> {
	return {
		...z.toJSONSchema(boardExportV3, { target: 'draft-2020-12', io: 'output' }),
		title: 'yoriai.board-export version 3'
	};
}
