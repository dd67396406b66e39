import type { Cookies } from '@sveltejs/kit';

/**
 * An opened invite link parks its token in a short-lived cookie and the browser moves on to the
 * token-free /invite page (INV-06): the token never stays in the address bar, the history or a
 * Referer, and the person can register or sign in first without losing it.
 */
const NAME = 'yoriai_invite';
const OPTIONS = { path: '/invite', httpOnly: true, sameSite: 'lax' as const };

export function parkInviteToken(cookies: Cookies, url: URL, token: string): void {
	cookies.set(NAME, token, { ...OPTIONS, secure: url.protocol === 'https:', maxAge: 60 * 60 });
}

export function parkedInviteToken(cookies: Cookies): string | null {
	return cookies.get(NAME) ?? null;
}

export function clearInviteToken(cookies: Cookies, url: URL): void {
	cookies.delete(NAME, { ...OPTIONS, secure: url.protocol === 'https:' });
}
