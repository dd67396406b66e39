import type { Db } from '../db/connect';
import type { SessionRow, UserRow } from '../db/schema';
import { generateToken, hashToken } from './tokens';

/**
 * Sessions after Lucia's design (SESS-01…07): the cookie holds a random token, the database holds
 * only its SHA-256, so the hashed token is the lookup key and no separate comparison exists.
 *
 * Lifetimes: a session expires after 30 days without use (sliding: renewed when fewer than 15
 * days remain) and, however active, 90 days after sign-in (the absolute lifetime), after which the
 * user signs in again.
 */
export const DAY = 24 * 60 * 60 * 1000;
export const SESSION_IDLE = 30 * DAY;
export const SESSION_RENEW_BELOW = 15 * DAY;
export const SESSION_ABSOLUTE = 90 * DAY;
/** last_seen_at is written at most this often, so reading pages does not mean writing rows. */
const SEEN_RESOLUTION = 60 * 1000;

export type SessionUser = Pick<
	UserRow,
	'id' | 'username' | 'display_name' | 'sector' | 'organisation' | 'is_admin' | 'locale'
>;

export interface ValidSession {
	session: SessionRow;
	user: SessionUser;
	/** True when the expiry moved and the cookie must be sent again with the new date. */
	renewed: boolean;
}

export async function createSession(
	db: Db,
	userId: number,
	now: number,
	userAgent: string
): Promise<{ token: string; session: SessionRow }> {
	const token = generateToken();
	const session: SessionRow = {
		id: hashToken(token),
		public_id: generateToken(10),
		user_id: userId,
		created_at: now,
		expires_at: Math.min(now + SESSION_IDLE, now + SESSION_ABSOLUTE),
		last_seen_at: now,
		user_agent: userAgent.slice(0, 200)
	};
	await db.insertInto('sessions').values(session).execute();
	return { token, session };
}

export async function validateSessionToken(
	db: Db,
	token: string,
	now: number
): Promise<ValidSession | null> {
	// Tokens are base32: anything else cannot be one, and is not worth a query.
	if (!/^[a-z2-7]{16,64}$/u.test(token)) return null;
	const id = hashToken(token);
	const row = await db
		.selectFrom('sessions')
		.innerJoin('users', 'users.id', 'sessions.user_id')
		.select([
			'sessions.id',
			'sessions.public_id',
			'sessions.user_id',
			'sessions.created_at',
			'sessions.expires_at',
			'sessions.last_seen_at',
			'sessions.user_agent',
			'users.username',
			'users.display_name',
			'users.sector',
			'users.organisation',
			'users.is_admin',
			'users.locale'
		])
		.where('sessions.id', '=', id)
		// Disabling or deleting an account ends its sessions; this holds even if one were missed.
		.where('users.disabled_at', 'is', null)
		.where('users.deleted_at', 'is', null)
		.executeTakeFirst();
	if (!row) return null;
	const absoluteEnd = row.created_at + SESSION_ABSOLUTE;
	if (now >= row.expires_at || now >= absoluteEnd) {
		await db.deleteFrom('sessions').where('id', '=', id).execute();
		return null;
	}
	const session: SessionRow = {
		id: row.id,
		public_id: row.public_id,
		user_id: row.user_id,
		created_at: row.created_at,
		expires_at: row.expires_at,
		last_seen_at: row.last_seen_at,
		user_agent: row.user_agent
	};
	let renewed = false;
	if (session.expires_at - now < SESSION_RENEW_BELOW) {
		session.expires_at = Math.min(now + SESSION_IDLE, absoluteEnd);
		renewed = true;
	}
	if (renewed || now - session.last_seen_at >= SEEN_RESOLUTION) {
		session.last_seen_at = now;
		await db
			.updateTable('sessions')
			.set({ expires_at: session.expires_at, last_seen_at: now })
			.where('id', '=', id)
			.execute();
	}
	return {
		session,
		user: {
			id: row.user_id,
			username: row.username,
			display_name: row.display_name,
			sector: row.sector,
			organisation: row.organisation,
			is_admin: row.is_admin,
			locale: row.locale
		},
		renewed
	};
}

export async function invalidateSession(db: Db, sessionId: string): Promise<void> {
	await db.deleteFrom('sessions').where('id', '=', sessionId).execute();
}

/** Ends every session of a user except `keep`; returns the ended ids (their sockets must close). */
export async function invalidateUserSessions(
	db: Db,
	userId: number,
	keep: string | null
): Promise<string[]> {
	let q = db.deleteFrom('sessions').where('user_id', '=', userId);
	if (keep !== null) q = q.where('id', '!=', keep);
	const rows = await q.returning('id').execute();
	return rows.map((r) => r.id);
}

export interface SessionListing {
	public_id: string;
	created_at: number;
	last_seen_at: number;
	user_agent: string;
	current: boolean;
}

export async function listSessions(
	db: Db,
	userId: number,
	currentId: string,
	now: number
): Promise<SessionListing[]> {
	const rows = await db
		.selectFrom('sessions')
		.select(['id', 'public_id', 'created_at', 'last_seen_at', 'user_agent'])
		.where('user_id', '=', userId)
		.where('expires_at', '>', now)
		.orderBy('last_seen_at', 'desc')
		.execute();
	return rows.map(({ id, ...rest }) => ({ ...rest, current: id === currentId }));
}

/** Revokes one of the user's own sessions by its public handle; returns its id, if it was theirs. */
export async function revokeSession(
	db: Db,
	userId: number,
	publicId: string
): Promise<string | null> {
	const row = await db
		.deleteFrom('sessions')
		.where('user_id', '=', userId)
		.where('public_id', '=', publicId)
		.returning('id')
		.executeTakeFirst();
	return row?.id ?? null;
}
