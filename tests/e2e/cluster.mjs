// `npm run test:e2e:cluster`: nginx in front of three built Yoriai processes on one PostgreSQL
// database (playwright.cluster.config.ts). Unlike the single-server suites it cannot run without
// PostgreSQL or nginx, so it fails — saying what is missing and how to get it — rather than pass
// having tested nothing.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import pg from 'pg';
import { findNginx, NGINX_MISSING } from './cluster/nginx.mjs';

if (!findNginx()) {
	console.error(`\n${NGINX_MISSING}\n`);
	process.exit(1);
}
if (!existsSync('build-server/main.js')) {
	console.error('\nThe cluster tests run the built server: `npm run build` first.\n');
	process.exit(1);
}
const url = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
try {
	await client.connect();
	await client.end();
} catch (e) {
	const shown = url.replace(/\/\/([^:/@]+):[^@]*@/u, '//$1:***@');
	console.error(
		`\nCluster end-to-end tests FAILED TO START: no PostgreSQL server answered at ${shown} (${e.message}).\n` +
			'They need one (three processes share its database). Start PostgreSQL (e.g. ' +
			'`pg_ctlcluster 15 main start`) or set TEST_DATABASE_URL for a role that may create ' +
			'databases, then `npm run build && npm run test:e2e:cluster` (or `bash .ci/run`, which ' +
			'installs and starts PostgreSQL and nginx).\n'
	);
	process.exit(1);
}
const args = ['playwright', 'test', '-c', 'playwright.cluster.config.ts', ...process.argv.slice(2)];
const r = spawnSync('npx', args, { stdio: 'inherit' });
process.exit(r.status ?? 1);
