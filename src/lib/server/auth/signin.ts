import type { RequestEvent } from '@sveltejs/kit';
import { announceSessionsEnded } from '../events/announce';
import { hashToken } from './tokens';
import { createSession, invalidateSession } from './sessions';
import { sessionCookieName, setSessionCookie } from './cookies';

type Event = Pick<RequestEvent, 'locals' | 'url' | 'cookies' | 'request'>;

export function getSessionTokenFromCookies(
	event: Pick<RequestEvent, 'cookies' | 'url'>
): string | null {
	return event.cookies.get(sessionCookieName(event.url)) ?? null;
}

/**
 * Signs a user in with a brand-new token (SESS-05): whatever cookie the browser brought — maybe
 * one planted by an attacker — is never reused, and the session it named is ended.
 */
export async function startSession(
	event: Event,
	userId: number,
	previous: string | null
): Promise<void> {
	const { app } = event.locals;
	if (previous) {
		const id = hashToken(previous);
		await invalidateSession(app.db, id);
		await announceSessionsEnded(app, [id]);
	}
	const { token, session } = await createSession(
		app.db,
		userId,
		app.now(),
		event.request.headers.get('user-agent') ?? ''
	);
	setSessionCookie(event.cookies, event.url, token, session.expires_at);
}
