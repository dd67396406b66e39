import { execFileSync } from 'node:child_process';

const ADMIN = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * A fresh, empty PostgreSQL database for one benchmark run (dropped first if a previous run left
 * it), created with the UTF-8 ctype Yoriai needs; returns its URL. Synchronous, so the
 * benchmarks' run bookkeeping stays as it is for SQLite files.
 */
export function freshPgDatabaseSync(name: string): string {
	adminSync(name, true);
	const url = new URL(ADMIN);
	url.pathname = `/${name}`;
	return url.toString();
}

/** Drops a benchmark's database (its connections included). */
export function dropPgDatabaseSync(name: string): void {
	adminSync(name, false);
}

function adminSync(name: string, create: boolean): void {
	execFileSync(
		process.execPath,
		[
			'-e',
			`const pg = require('pg');
			(async () => {
				const c = new pg.Client({ connectionString: process.argv[1] });
				await c.connect();
				await c.query('drop database if exists "' + process.argv[2] + '" with (force)');
				if (process.argv[3] === 'create') await c.query('create database "' + process.argv[2] + '" template template0 encoding \\'UTF8\\' lc_ctype \\'C.UTF-8\\' lc_collate \\'C.UTF-8\\'');
				await c.end();
			})().catch((e) => { console.error(e.message); process.exit(1); });`,
			ADMIN,
			name,
			create ? 'create' : 'drop'
		],
		{ stdio: 'inherit' }
	);
}
