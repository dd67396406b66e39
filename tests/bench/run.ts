/**
 * `npm run bench`: imports every tests/bench/*.bench.ts and awaits its `run()`, one after the
 * other (benchmarks must not compete for the CPU). A name filter may be given as an argument.
 */
import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2] ?? '';
const files = readdirSync(here)
	.filter((f) => f.endsWith('.bench.ts') && f.includes(filter))
	.sort();
for (const file of files) {
	console.info(`\n=== ${file}`);
	const mod = (await import(`./${file}`)) as { run: () => Promise<void> };
	await mod.run();
}
