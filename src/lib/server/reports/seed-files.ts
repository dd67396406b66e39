import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SeedFile } from '../../domain/library/seed-schema';
import { validateSeed, validateSeedSet } from '../../domain/library/validate-seed';

export interface LoadedSeed {
	/** The file name, for messages. */
	file: string;
	seed: SeedFile;
}

/** A seed directory that cannot be loaded as a whole; `problems` lists every reason. */
export class SeedLoadError extends Error {
	constructor(
		readonly dir: string,
		readonly problems: string[]
	) {
		super(`seed files in ${dir} not loaded:\n${problems.map((p) => `  ${p}`).join('\n')}`);
		this.name = 'SeedLoadError';
	}
}

/**
 * Reads and validates every `*.json` in `dir` (seeds/reports), each on its own and then as a set.
 * Quotes are not checked against the source reports here: the unit tests and
 * seeds/tools/validate.ts do that, and a server need not ship the sources.
 *
 * A directory with no seed file is an error too: loading it would retire the whole library.
 */
export function readSeedDir(dir: string): LoadedSeed[] {
	let names: string[];
	try {
		names = readdirSync(dir)
			.filter((n) => n.endsWith('.json'))
			.sort();
	} catch (e) {
		throw new SeedLoadError(dir, [`cannot read the directory: ${(e as Error).message}`]);
	}
	if (names.length === 0) throw new SeedLoadError(dir, ['no seed files (*.json)']);

	const problems: string[] = [];
	const loaded: LoadedSeed[] = [];
	for (const file of names) {
		let raw: unknown;
		try {
			raw = JSON.parse(readFileSync(join(dir, file), 'utf8'));
		} catch (e) {
			problems.push(`${file}: not valid JSON: ${(e as Error).message}`);
			continue;
		}
		const { seed, problems: found } = validateSeed(raw, null);
		for (const p of found) problems.push(`${file}: ${p.where || '(file)'}: ${p.message}`);
		if (seed && found.length === 0) loaded.push({ file, seed });
	}
	for (const p of validateSeedSet(loaded)) problems.push(`${p.where}: ${p.message}`);
	if (problems.length > 0) throw new SeedLoadError(dir, problems);
	return loaded;
}
