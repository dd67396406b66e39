import { CompiledQuery } from 'kysely';
import type { App, AppEvents } from '../app';
import { logger } from '../log/logger';

/** The PostgreSQL channel every Yoriai process listens on (events/listener.ts). */
export const EVENTS_CHANNEL = 'yoriai_events';

/** The events that cross processes (a 'resync' is local: it tells of a listener's reconnect). */
export type SharedEvent = Exclude<keyof AppEvents, 'resync'>;

/** What travels in a notification: the event, its arguments, and which process sent it. */
export interface Envelope<K extends SharedEvent = SharedEvent> {
	from: string | null;
	name: K;
	args: AppEvents[K];
}

/**
 * NOTIFY payloads are limited to 8,000 bytes; a session id is 64 hex digits, so a long list
 * (an account's sessions, a disabled user's) goes in several notifications.
 */
const SESSIONS_PER_NOTIFY = 50;

type Announcer = Pick<App, 'db' | 'database' | 'events'> & { processId?: string };

/**
 * Tells every open connection — in this process at once, and on PostgreSQL in every other
 * process through NOTIFY — that something happened. Callers announce after the transaction
 * that made the change committed, so a listener re-reading the database sees it.
 *
 * Never throws: the change itself is committed. A notification that cannot be sent is logged,
 * and the periodic re-check of every socket (collab/server.ts) catches up within its interval.
 */
export async function announce<K extends SharedEvent>(
	app: Announcer,
	name: K,
	...args: AppEvents[K]
): Promise<void> {
	(app.events.emit as (n: K, ...a: AppEvents[K]) => boolean)(name, ...args);
	if (app.database.dialect !== 'postgres') return;
	for (const payload of envelopes({ from: app.processId ?? null, name, args })) {
		try {
			await app.db.executeQuery(
				CompiledQuery.raw('select pg_notify($1, $2)', [EVENTS_CHANNEL, payload])
			);
		} catch (e) {
			logger.error({ err: e, event: name }, 'event not sent to the other processes');
		}
	}
}

function envelopes(e: Envelope): string[] {
	if (e.name !== 'sessions-revoked') return [JSON.stringify(e)];
	const [ids] = e.args as AppEvents['sessions-revoked'];
	const out: string[] = [];
	for (let i = 0; i < ids.length; i += SESSIONS_PER_NOTIFY)
		out.push(JSON.stringify({ ...e, args: [ids.slice(i, i + SESSIONS_PER_NOTIFY)] }));
	return out;
}

/** These sessions ended (sign-out, password change, revocation): their sockets close. */
export function announceSessionsEnded(app: Announcer, sessionIds: string[]): Promise<void> {
	if (sessionIds.length === 0) return Promise.resolve();
	return announce(app, 'sessions-revoked', sessionIds);
}

/** A member's role changed or they left (role null): their sockets on the board follow. */
export function announceMembershipChanged(
	app: Announcer,
	change: AppEvents['membership-changed'][0]
): Promise<void> {
	return announce(app, 'membership-changed', change);
}

/** A board's phase or lock changed: every open connection applies it to its next update. */
export function announceFacilitationChanged(
	app: Announcer,
	change: AppEvents['facilitation-changed'][0]
): Promise<void> {
	return announce(app, 'facilitation-changed', change);
}
