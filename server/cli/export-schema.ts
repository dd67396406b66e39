/**
 * `npm run schema:export`: writes the JSON export's schema (current version) as a JSON Schema
 * file into the repository, generated from the zod schema the server checks exports with.
 */
import { writeFileSync } from 'node:fs';
import { format, resolveConfig } from 'prettier';
import { EXPORT_SCHEMA_FILE, exportJsonSchema } from '../../src/lib/domain/exports/json-schema';

// Formatted as the repository's other files are, so `npm run lint` passes on it as written.
const options = { ...(await resolveConfig(EXPORT_SCHEMA_FILE)), filepath: EXPORT_SCHEMA_FILE };
writeFileSync(EXPORT_SCHEMA_FILE, await format(JSON.stringify(exportJsonSchema()), options));
console.log(`wrote ${EXPORT_SCHEMA_FILE}`);
