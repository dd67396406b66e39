/**
 * Validates seed files from the command line while curating:
 *   npx tsx seeds/tools/validate.ts seeds/reports/<slug>.json [...]
 * Prints every problem and exits non-zero if there is any.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { validateSeed } from '../../src/lib/domain/library/validate-seed';
import { reportsDir } from '../paths';

let failed = false;
for (const file of process.argv.slice(2)) {
	const raw: unknown = JSON.parse(readFileSync(file, 'utf8'));
	const sourceName = (raw as { report?: { source?: string } }).report?.source ?? '';
	const sourcePath = resolve(reportsDir(), sourceName);
	const source = existsSync(sourcePath) ? readFileSync(sourcePath, 'utf8') : null;
	if (source === null) console.warn(`${file}: source ${sourcePath} not found, quotes not checked`);
	const { seed, problems } = validateSeed(raw, source);
	for (const p of problems) console.log(`${file}: ${p.where}: ${p.message}`);
	if (problems.length > 0) failed = true;
	if (seed) {
		const counts = { issue: 0, proposal: 0, target: 0 };
		for (const i of seed.items) counts[i.kind]++;
		console.log(
			`${file}: ${seed.items.length} items (${counts.issue} issues, ${counts.proposal} proposals, ${counts.target} targets), ${problems.length} problems`
		);
	}
}
process.exit(failed ? 1 : 0);
