import type { Cookies } from '@sveltejs/kit';

/**
 * The session cookie (SESS-04): HttpOnly, SameSite=Lax, Path=/, an explicit expiry, and Secure
 * with the `__Host-` prefix whenever the app is reached over HTTPS. Browsers treat
 * http://localhost as a secure context, so Secure is kept there too. Only a plain-HTTP address
 * other than localhost (a LAN install with `ORIGIN=http://192.168.…`) gets a cookie without
 * Secure, because a browser would drop it otherwise; see the README.
 */
export function sessionCookieName(url: URL): string {
	return isSecureContextUrl(url) ? '__Host-yoriai_session' : 'yoriai_session';
}

function isSecureContextUrl(url: URL): boolean {
	return url.protocol === 'https:' || url.hostname === 'localhost' || url.hostname === '127.0.0.1';
}

export function setSessionCookie(cookies: Cookies, url: URL, token: string, expiresAt: number) {
	cookies.set(sessionCookieName(url), token, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: isSecureContextUrl(url),
		expires: new Date(expiresAt)
	});
}

export function clearSessionCookie(cookies: Cookies, url: URL) {
	cookies.delete(sessionCookieName(url), {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: isSecureContextUrl(url)
	});
}
