import pg from 'pg';

/**
 * Whether the PostgreSQL server for tests answers (TEST_DATABASE_URL, default the local one), and
 * if not, a plain message saying that the PostgreSQL tests did not run and how to run them.
 */
export async function pgTestServer(): Promise<{ ok: boolean; url: string; message: string }> {
	const url = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
	const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
	try {
		await client.connect();
		await client.query('select 1');
		return { ok: true, url, message: '' };
	} catch (e) {
		return {
			ok: false,
			url,
			message:
				`PostgreSQL tests NOT RUN: no PostgreSQL server answered at ${url} (${(e as Error).message}). ` +
				'To run them, start PostgreSQL (e.g. `pg_ctlcluster 15 main start`) or set ' +
				'TEST_DATABASE_URL=postgres://user@host:port/db for a role that may create databases, ' +
				'then run `npm run test:unit` (or `bash .ci/run`, which installs and starts PostgreSQL).'
		};
	} finally {
		await client.end().catch(() => undefined);
	}
}
