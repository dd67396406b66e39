import { sql } from 'kysely';
import type { RequestHandler } from './$types';
import { logger } from '$lib/server/log/logger';

/**
 * Liveness for supervisors and tests: the process answers and its database responds. The body
 * names the database (sqlite or postgres); an unreachable database is a 503 saying so.
 */
export const GET: RequestHandler = async ({ locals }) => {
	const { database } = locals.app;
	const headers = { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' };
	try {
		await sql`select 1`.execute(locals.app.db);
	} catch (e) {
		logger.error({ err: e, dialect: database.dialect }, 'healthz: database unreachable');
		return new Response(`database ${database.dialect} unreachable\n`, { status: 503, headers });
	}
	return new Response(`ok\ndatabase ${database.dialect}\n`, { headers });
};
