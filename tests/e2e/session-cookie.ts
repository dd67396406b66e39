import type { BrowserContext } from '@playwright/test';

/** Yoriai's session cookie (`__Host-` on any origin: Chromium treats localhost as secure). */
export const SESSION_COOKIE = '__Host-yoriai_session';

/**
 * Puts a session token into a browser context as the server's own cookie would be: for `host`
 * (the app's, or the load balancer's), expiring at `expiresAt` (ms) or with the browser session.
 */
export function addSessionCookie(
	context: BrowserContext,
	token: string,
	host = 'localhost',
	expiresAt?: number
): Promise<void> {
	return context.addCookies([
		{
			name: SESSION_COOKIE,
			value: token,
			domain: host,
			path: '/',
			httpOnly: true,
			secure: true,
			sameSite: 'Lax',
			...(expiresAt === undefined ? {} : { expires: Math.floor(expiresAt / 1000) })
		}
	]);
}
