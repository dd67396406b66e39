import type { RequestHandler } from './$types';

/** The server's clock, for browsers to line their timers up with it (see ServerClock). */
export const GET: RequestHandler = ({ locals }) =>
	new Response(JSON.stringify({ now: locals.app.now() }), {
		headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' }
	});
