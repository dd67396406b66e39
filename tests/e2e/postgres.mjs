// `npm run test:e2e:postgres`: the journeys on PostgreSQL (playwright.postgres.config.ts) when a
// server answers at TEST_DATABASE_URL; otherwise says plainly that they did not run, and how.
import { spawnSync } from 'node:child_process';
import pg from 'pg';

const url = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
try {
	await client.connect();
	await client.end();
} catch (e) {
	console.warn(
		`\nPostgreSQL end-to-end tests NOT RUN: no PostgreSQL server answered at ${url} (${e.message}).\n` +
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
