import type { Handle } from '@sveltejs/kit';
import { metrics } from '../metrics/registry';
import { logger } from './logger';

/** A proxy's request id is kept when it looks like one; anything else gets a fresh id. */
const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/u;

/**
 * One log line and the HTTP metrics for every request: request id (also sent back as
 * `X-Request-Id`), method, route (the route's pattern, never the raw path: ids and tokens in URLs
 * stay out of logs and metric labels), status, duration, and the user id once the session is
 * known. No query string, header, cookie or body is logged.
 */
export const observeRequest: Handle = async ({ event, resolve }) => {
	const started = performance.now();
	const incoming = event.request.headers.get('x-request-id');
	const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
	// A route that logs something of its own ties it to this request's line with the same id.
	event.locals.requestId = requestId;
	let status = 500;
	try {
		const response = await resolve(event);
		status = response.status;
		response.headers.set('X-Request-Id', requestId);
		return response;
	} finally {
		const seconds = (performance.now() - started) / 1000;
		const route = event.route.id ?? 'unmatched';
		const method = event.request.method;
		const m = metrics();
		m.http.inc({ method, route, status: String(status) });
		m.httpSeconds.observe({ method, route }, seconds);
		const fields = {
			requestId,
			method,
			route,
			status,
			ms: Math.round(seconds * 10_000) / 10,
			userId: event.locals.user?.id ?? null
		};
		// Health checks and scrapes arrive every few seconds; they are logged only when debugging.
		if (route === '/healthz' || route === '/readyz' || route === '/metrics')
			logger.debug(fields, 'request');
		else if (status >= 500) logger.error(fields, 'request');
		else logger.info(fields, 'request');
	}
};
