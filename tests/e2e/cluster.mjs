// `npm run test:e2e:cluster`: nginx in front of three built Yoriai processes on one PostgreSQL
// database (playwright.cluster.config.ts). Without nginx or PostgreSQL it says plainly that it did
// not run and how to run it, as the PostgreSQL suites do; under CI (.ci/run sets
// YORIAI_TEST_EVERYTHING=1 after installing both) that is a failure instead.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { findNginx, NGINX_MISSING } from './cluster/nginx.mjs';
import { postgresProblem, shownUrl } from './pg-reachable.mjs';

const required = process.env.YORIAI_TEST_EVERYTHING === '1';
/** Not run: a failure where every suite is required, a plain notice elsewhere. */
function notRun(message) {
	console.error(`\nCluster end-to-end tests NOT RUN: ${message}\n`);
	process.exit(required ? 1 : 0);
}

if (!findNginx()) notRun(NGINX_MISSING);
if (!existsSync('build-server/main.js')) {
	console.error('\nThe cluster tests run the built server: `npm run build` first.\n');
	process.exit(1);
}
const problem = await postgresProblem();
if (problem) {
	notRun(
		`no PostgreSQL server answered at ${shownUrl} (${problem}). ` +
			'They need one (three processes share its database). Start PostgreSQL (e.g. ' +
			'`pg_ctlcluster 15 main start`) or set TEST_DATABASE_URL for a role that may create ' +
			'databases, then `npm run build && npm run test:e2e:cluster` (or `bash .ci/run`, which ' +
			'installs and starts PostgreSQL and nginx).'
	);
}
const args = ['playwright', 'test', '-c', 'playwright.cluster.config.ts', ...process.argv.slice(2)];
const r = spawnSync('npx', args, { stdio: 'inherit' });
process.exit(r.status ?? 1);
