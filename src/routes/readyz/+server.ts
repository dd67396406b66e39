import { sql } from 'kysely';
import { migrator } from '$lib/server/db/migrate';
import type { RequestHandler } from './$types';

/**
 * Readiness for a load balancer: the database answers and every migration this build knows is
 * applied. 503 with the reason otherwise, so the balancer sends no traffic here meanwhile.
 */
export const GET: RequestHandler = async ({ locals }) => {
	const answer = (status: number, body: string) =>
		new Response(`${body}\n`, {
			status,
			headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }
		});
	try {
		await sql`select 1`.execute(locals.app.db);
	} catch {
		return answer(503, 'database unreachable');
	}
	const pending = (await migrator(locals.app.db).getMigrations()).filter((m) => !m.executedAt);
	if (pending.length > 0) return answer(503, `migrations pending: ${pending.length}`);
	return answer(200, 'ready');
};
