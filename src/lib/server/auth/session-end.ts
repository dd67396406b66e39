import type { App } from '../app';
import { announceSessionsEnded } from '../events/announce';
import { recordAuthEvent } from './audit';
import { invalidateSession, invalidateUserSessions, revokeSession } from './sessions';

/**
 * Ending sessions, each in one place: the rows go, every process closes the sockets they held
 * (announce.ts), and the auth log records it. Routes call these rather than doing the three
 * steps themselves, so no path forgets one of them.
 */
type SessionApp = Pick<App, 'db' | 'database' | 'events' | 'now' | 'processId'>;

/** Sign-out: this session ends. */
export async function signOut(
	app: SessionApp,
	s: { sessionId: string; userId: number; ip: string }
): Promise<void> {
	await invalidateSession(app.db, s.sessionId);
	await announceSessionsEnded(app, [s.sessionId]);
	await recordAuthEvent(app.db, {
		kind: 'logout',
		userId: s.userId,
		usernameKey: null,
		ip: s.ip,
		at: app.now()
	});
}

/** The person ends one of their own sessions (by its public handle); false if it was not theirs. */
export async function revokeOwnSession(
	app: SessionApp,
	s: { userId: number; publicId: string; ip: string }
): Promise<boolean> {
	const id = await revokeSession(app.db, s.userId, s.publicId);
	if (!id) return false;
	await announceSessionsEnded(app, [id]);
	await recordAuthEvent(app.db, {
		kind: 'session_revoked',
		userId: s.userId,
		usernameKey: null,
		ip: s.ip,
		at: app.now()
	});
	return true;
}

/**
 * SESS-08: the password changed (by the person or through a reset link): every session ends —
 * the ones `ended` already removed, or else all of the user's — and the change is logged.
 */
export async function endSessionsForNewPassword(
	app: SessionApp,
	s: { userId: number; ip: string; at: number; ended?: string[] }
): Promise<void> {
	const ended = s.ended ?? (await invalidateUserSessions(app.db, s.userId, null));
	await announceSessionsEnded(app, ended);
	await recordAuthEvent(app.db, {
		kind: 'password_changed',
		userId: s.userId,
		usernameKey: null,
		ip: s.ip,
		at: s.at
	});
}
