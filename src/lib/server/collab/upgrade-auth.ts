import type { IncomingMessage } from 'node:http';
import { isBoardId } from '../../domain/board/id';
import type { BoardRole } from '../../domain/board/roles';
import { sessionCookieName } from '../auth/cookies';
import { validateSessionToken, type SessionUser } from '../auth/sessions';
import { getRole } from '../boards/members';
import type { Db } from '../db/connect';

/** The realtime route. The document is always named by a validated board id (WS-04). */
export const COLLAB_PREFIX = '/collab/';
/** `?saved=1` asks for Yoriai's "saved" reports (the only query the route accepts). */
const SAVED_QUERY = 'saved=1';

export interface CollabTarget {
	boardId: string;
	wantsSaved: boolean;
}

/**
 * `/collab/<boardId>` or `/collab/<boardId>?saved=1`, compared on the raw request target: no
 * decoding, so `%2e%2e`, `..`, extra segments and any other query never name a document.
 */
export function parseCollabPath(url: string | undefined): CollabTarget | null {
	if (!url?.startsWith(COLLAB_PREFIX)) return null;
	const rest = url.slice(COLLAB_PREFIX.length);
	const q = rest.indexOf('?');
	const boardId = q === -1 ? rest : rest.slice(0, q);
	const query = q === -1 ? null : rest.slice(q + 1);
	if (!isBoardId(boardId)) return null;
	if (query !== null && query !== SAVED_QUERY) return null;
	return { boardId, wantsSaved: query === SAVED_QUERY };
}

export interface Admitted {
	ok: true;
	boardId: string;
	wantsSaved: boolean;
	user: SessionUser;
	sessionId: string;
	role: BoardRole;
}

export interface Refused {
	ok: false;
	status: 400 | 401 | 403;
	reason: string;
}

export interface UpgradeContext {
	db: Db;
	origin: string;
	now: () => number;
}

/**
 * The checks every realtime connection passes before its handshake, in this order: a
 * well-formed request for the fixed route (400, WS-14), the app's exact origin (403, WS-02), a
 * valid session cookie validated exactly as for HTTP (401, WS-01), board membership (403, WS-04:
 * the same answer whether the board does not exist or the user is not in it).
 */
export async function authorizeUpgrade(
	ctx: UpgradeContext,
	req: IncomingMessage
): Promise<Admitted | Refused> {
	const target = parseCollabPath(req.url);
	if (!target) return { ok: false, status: 400, reason: 'not a board address' };
	if (req.method !== 'GET' || req.headers.upgrade?.toLowerCase() !== 'websocket')
		return { ok: false, status: 400, reason: 'websocket upgrade required' };
	// Cross-site WebSocket hijacking: browsers always send Origin on a WebSocket handshake and
	// the cookie rides along, so anything but our own origin (including "null") is refused.
	if (req.headers.origin !== ctx.origin) return { ok: false, status: 403, reason: 'origin' };
	// Tokens only ever come from the cookie, never the URL (SESS-10).
	const token = readCookie(req.headers.cookie, sessionCookieName(new URL(ctx.origin)));
	if (!token) return { ok: false, status: 401, reason: 'no session' };
	const valid = await validateSessionToken(ctx.db, token, ctx.now());
	if (!valid) return { ok: false, status: 401, reason: 'session invalid or expired' };
	const role = await getRole(ctx.db, target.boardId, valid.user.id);
	if (!role) return { ok: false, status: 403, reason: 'not a member' };
	return {
		ok: true,
		...target,
		user: valid.user,
		sessionId: valid.session.id,
		role
	};
}

/** The first cookie called `name` in a Cookie header (`__Host-` cookies cannot be shadowed). */
export function readCookie(header: string | undefined, name: string): string | null {
	if (!header) return null;
	for (const part of header.split(';')) {
		const eq = part.indexOf('=');
		if (eq === -1) continue;
		if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
	}
	return null;
}
