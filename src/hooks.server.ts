import type { Handle, HandleServerError } from '@sveltejs/kit';
import { isLocale } from '$lib/i18n/messages';
import { negotiateLocale } from '$lib/i18n/translate';
import { getApp } from '$lib/server/app';
import { clearSessionCookie, sessionCookieName, setSessionCookie } from '$lib/server/auth/cookies';
import { validateSessionToken } from '$lib/server/auth/sessions';
import { AUTH_BODY_LIMIT, isAuthPath, isCrossSiteWrite } from '$lib/server/http/csrf';

/**
 * Reads the session cookie and the language into `locals`, refuses cross-site writes and
 * oversized auth posts, and sets security headers. Authorization itself happens in every load
 * and action (`requireUser`, `requireBoardRole`), never here.
 */
export const handle: Handle = async ({ event, resolve }) => {
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

function text(status: number, body: string): Response {
	return new Response(`${body}\n`, {
		status,
		headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' }
	});
}

/** HDR-03: log the error once with a reference; the page shows only the reference. */
export const handleError: HandleServerError = ({ error, status }) => {
	if (status === 404) return { message: 'Not Found' };
	const id = crypto.randomUUID().slice(0, 8);
	console.error(`[error ${id}]`, error);
	return { message: 'Internal Error', id };
};
