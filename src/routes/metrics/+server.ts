import { timingSafeEqual } from 'node:crypto';
import { metrics } from '$lib/server/metrics/registry';
import type { RequestHandler } from './$types';

/** Constant-time comparison, so the token cannot be guessed byte by byte from response times. */
function tokenMatches(header: string | null, token: string | null): boolean {
	if (!header || !token || !header.startsWith('Bearer ')) return false;
	const given = Buffer.from(header.slice('Bearer '.length));
	const expected = Buffer.from(token);
	return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Prometheus metrics (OPS-03): for a scraper holding METRICS_TOKEN (`Authorization: Bearer …`),
 * or an administrator's session. Anyone else gets 403 — the figures tell how busy and how big the
 * instance is, which is the operator's business.
 */
export const GET: RequestHandler = async ({ request, locals }) => {
	const allowed =
		tokenMatches(request.headers.get('authorization'), locals.app.config.metricsToken) ||
		locals.user?.is_admin === 1;
	if (!allowed)
		return new Response('Forbidden\n', {
			status: 403,
			headers: { 'Content-Type': 'text/plain; charset=utf-8' }
		});
	const { registry } = metrics();
	return new Response(await registry.metrics(), {
		headers: { 'Content-Type': registry.contentType, 'Cache-Control': 'no-store' }
	});
};
