import type { Db } from '../db/connect';
import { metrics } from '../metrics/registry';
import { logger } from '../log/logger';

export type AuthEventKind =
	| 'login_ok'
	| 'login_failed'
	| 'login_throttled'
	| 'register_ok'
	| 'register_throttled'
	| 'logout'
	| 'password_changed'
	| 'session_revoked';

/**
 * AUTH-12: authentication events with who, from where and when — never a password, token or
 * cookie. Kept in SQL for the administrator and written to the log as one line.
 */
export async function recordAuthEvent(
	db: Db,
	e: {
		kind: AuthEventKind;
		userId: number | null;
		usernameKey: string | null;
		ip: string;
		at: number;
	}
): Promise<void> {
	if (e.kind.endsWith('_throttled'))
		metrics().throttled.inc({ throttle: e.kind.replace('_throttled', '') });
	await db
		.insertInto('auth_events')
		.values({ kind: e.kind, user_id: e.userId, username_key: e.usernameKey, ip: e.ip, at: e.at })
		.execute();
	logger.info(
		{ auth: e.kind, userId: e.userId, username: e.usernameKey, ip: e.ip },
		`auth ${e.kind}`
	);
}
