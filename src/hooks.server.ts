// First: zod must be jitless before any schema module is evaluated (see the module).
import '$lib/zod-jitless';
import type { Handle, HandleServerError, RequestEvent } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { isLocale } from '$lib/i18n/messages';
import { negotiateLocale, translator } from '$lib/i18n/translate';
import { getApp } from '$lib/server/app';
import { clearSessionCookie, sessionCookieName, setSessionCookie } from '$lib/server/auth/cookies';
import { validateSessionToken } from '$lib/server/auth/sessions';
import { AUTH_BODY_LIMIT, isAuthPath, isCrossSiteWrite } from '$lib/server/http/csrf';
import { formBodyProblem } from '$lib/server/http/form-body';
import { logger } from '$lib/server/log/logger';
import { observeRequest } from '$lib/server/log/request';

/**
 * Reads the session cookie and the language into `locals`, refuses cross-site writes and
 * oversized auth posts, and sets security headers. Authorization itself happens in every load
 * and action (`requireUser`, `requireBoardRole`), never here.
 */
const main: Handle = async ({ event, resolve }) => {
	const app = getApp();
	event.locals.app = app;
	const { request, url, cookies } = event;

	if (isCrossSiteWrite(request, url.origin)) {
		return text(403, 'Cross-site request refused');
	}
	if (request.method === 'POST' && isAuthPath(url.pathname)) {
		const length = request.headers.get('content-length');
		if (length === null) return text(411, 'Length Required');
		if (Number(length) > AUTH_BODY_LIMIT) return text(413, 'Payload Too Large');
	}

	event.locals.user = null;
	event.locals.session = null;
	const token = cookies.get(sessionCookieName(url));
	if (token) {
		const valid = await validateSessionToken(app.db, token, app.now());
		if (valid) {
			event.locals.user = valid.user;
			event.locals.session = valid.session;
			if (valid.renewed) setSessionCookie(cookies, url, token, valid.session.expires_at);
		} else {
			clearSessionCookie(cookies, url);
		}
	}

	const chosen = cookies.get('lang');
	event.locals.locale = isLocale(chosen)
		? chosen
		: isLocale(event.locals.user?.locale)
			? event.locals.user.locale
			: negotiateLocale(request.headers.get('accept-language'));

	const problem = await formBodyProblem(request);
	if (problem !== null) return unreadableForm(event, problem);

	const response = await resolve(event, {
		transformPageChunk: ({ html }) => html.replace('%lang%', event.locals.locale)
	});
	// HDR-02
	const type = response.headers.get('content-type');
	if (type && /^text\/html\s*$/u.test(type))
		response.headers.set('content-type', 'text/html; charset=utf-8');
	response.headers.set('X-Content-Type-Options', 'nosniff');
	// A route may ask for less (the invite link page sends no referrer at all, INV-06).
	if (!response.headers.has('Referrer-Policy'))
		response.headers.set('Referrer-Policy', 'strict-origin-when-cross-origin');
	response.headers.set('Cross-Origin-Opener-Policy', 'same-origin');
	if (url.protocol === 'https:')
		response.headers.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
	if (event.locals.user) response.headers.set('Cache-Control', 'private, no-store');
	return response;
};

/** Every request is measured and logged first, so refusals in `main` are counted too. */
export const handle: Handle = sequence(observeRequest, main);

function text(status: number, body: string): Response {
	return new Response(`${body}\n`, {
		status,
		headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' }
	});
}

/**
 * A form body no action can read (INP-01), answered in the reader's language: as an action
 * result for `use:enhance` posts, which show it on the error page, and as text otherwise. A
 * client's mistake, so one line in the log and no stack trace.
 */
function unreadableForm(event: RequestEvent, status: 400 | 413 | 415): Response {
	const t = translator(event.locals.locale);
	const message = t(
		status === 413
			? 'error.too_large'
			: status === 415
				? 'error.form_type'
				: 'error.unreadable_form'
	);
	logger.warn(
		{ status, method: event.request.method, path: event.url.pathname },
		'form: unreadable body'
	);
	if (event.request.headers.get('x-sveltekit-action') === 'true')
		return new Response(JSON.stringify({ type: 'error', status, error: { message } }), {
			status,
			headers: { 'Content-Type': 'application/json', 'X-Content-Type-Options': 'nosniff' }
		});
	return text(status, message);
}

/** HDR-03: log the error once with a reference; the page shows only the reference. */
export const handleError: HandleServerError = ({ error, status }) => {
	if (status === 404) return { message: 'Not Found' };
	const id = crypto.randomUUID().slice(0, 8);
	logger.error({ err: error, ref: id }, `unhandled error ${id}`);
	return { message: 'Internal Error', id };
};
