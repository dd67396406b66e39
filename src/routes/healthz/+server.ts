import { sql } from 'kysely';
import type { RequestHandler } from './$types';

/** Liveness for supervisors and tests: the process answers and the database responds. */
export const GET: RequestHandler = async ({ locals }) => {
	await sql`select 1`.execute(locals.app.db);
	return new Response('ok\n', { headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
};
