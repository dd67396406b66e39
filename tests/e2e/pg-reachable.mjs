// Shared by the PostgreSQL and cluster e2e launchers: which server the suites use, and whether it
// answers. Plain JavaScript because the launchers run before anything is compiled.
import pg from 'pg';

export const TEST_DATABASE_URL =
	process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

/** The URL as it may be printed: a password in it is masked. */
export const shownUrl = TEST_DATABASE_URL.replace(/\/\/([^:/@]+):[^@]*@/u, '//$1:***@');

/** Null when the server at TEST_DATABASE_URL takes a connection, else why it did not. */
export async function postgresProblem() {
	const client = new pg.Client({
		connectionString: TEST_DATABASE_URL,
		connectionTimeoutMillis: 3000
	});
	try {
		await client.connect();
		await client.end();
		return null;
	} catch (e) {
		return e instanceof Error ? e.message : String(e);
	}
}
