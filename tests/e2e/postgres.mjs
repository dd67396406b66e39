// `npm run test:e2e:postgres`: the journeys on PostgreSQL (playwright.postgres.config.ts) when a
// server answers at TEST_DATABASE_URL; otherwise says plainly that they did not run, and how.
import { spawnSync } from 'node:child_process';
import { postgresProblem, shownUrl } from './pg-reachable.mjs';

const problem = await postgresProblem();
if (problem) {
	console.warn(
		`\nPostgreSQL end-to-end tests NOT RUN: no PostgreSQL server answered at ${shownUrl} (${problem}).\n` +
			'To run them, start PostgreSQL (e.g. `pg_ctlcluster 15 main start`) or set TEST_DATABASE_URL ' +
			'for a role that may create databases, then `npm run build && npm run test:e2e:postgres` ' +
			'(or `bash .ci/run`, which installs and starts PostgreSQL).\n'
	);
	// CI (.ci/run) sets up PostgreSQL and asks for every suite: a missing server is a failure there.
	process.exit(process.env.YORIAI_TEST_EVERYTHING === '1' ? 1 : 0);
}
const args = [
	'playwright',
	'test',
	'-c',
	'playwright.postgres.config.ts',
	...process.argv.slice(2)
];
const r = spawnSync('npx', args, { stdio: 'inherit' });
process.exit(r.status ?? 1);
