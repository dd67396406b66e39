import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import type { SessionUser } from './sessions';
import type { SessionRow } from '../db/schema';
import { roleAllows, type BoardAction, type BoardRole } from '../../domain/board/roles';
import { getRole } from '../boards/members';
import { isArchived } from '../boards/boards';
import { logger } from '../log/logger';

/** What may still be done on an archived board: look at it and take its record home. */
const READ_ACTIONS: ReadonlySet<BoardAction> = new Set([
	'read',
	'audit',
	'export',
	'export_record'
]);

/**
 * Authorization helpers, called at the top of every load and action that needs them — a layout
 * check alone would not protect actions or data requests (AC-01).
 */
export function requireUser(event: Pick<RequestEvent, 'locals' | 'url'>): {
	user: SessionUser;
	session: SessionRow;
} {
	const { user, session } = event.locals;
	if (!user || !session) {
		const back = event.url.pathname + event.url.search;
		redirect(303, `/login?redirectTo=${encodeURIComponent(back)}`);
	}
	return { user, session };
}

export function requireAdmin(event: Pick<RequestEvent, 'locals' | 'url'>): SessionUser {
	const { user } = requireUser(event);
	if (user.is_admin !== 1) error(403, 'Forbidden');
	return user;
}

/** A base no request can name, so an absolute URL in `redirectTo` can never pass as ours. */
const REDIRECT_BASE = 'http://yoriai.invalid';

/**
 * INP-07: only same-origin paths are followed after sign-in. The judgement is made on the URL as
 * a browser will read it, not on the raw string: the WHATWG parser drops tabs and newlines, reads
 * `\` as `/` and resolves `.` and `..` (also `%2e`), so `/\t/evil`, `/.//evil` or `/%2e%2e//evil`
 * look like paths but become `//evil` — a link to another host. What is returned is the
 * normalised path, search and hash, which reads back as the same URL.
 */
export function safeRedirectPath(target: string | null | undefined, fallback = '/'): string {
	if (!target || !target.startsWith('/')) return fallback;
	let url: URL;
	try {
		url = new URL(target, REDIRECT_BASE);
	} catch {
		return fallback;
	}
	if (url.origin !== REDIRECT_BASE) return fallback;
	const path = url.pathname + url.search + url.hash;
	// A normalised path that starts `//` is a scheme-relative URL in a Location header.
	if (!path.startsWith('/') || path.startsWith('//')) return fallback;
	// What a browser makes of the answer must be what was judged here.
	if (new URL(path, REDIRECT_BASE).href !== url.href) return fallback;
	return path;
}

/**
 * The board guard (AC-01, AC-05): the caller must be signed in and hold a role that allows
 * `action` on this board. A board the user is not on answers 404, so its existence does not leak;
 * a role that is too small answers 403. An exception while checking denies (fails closed).
 */
export async function requireBoardRole(
	event: Pick<RequestEvent, 'locals' | 'url'>,
	boardId: string,
	action: BoardAction,
	/** Only for what works on an archived board as it is: restoring it, starting a follow-up. */
	opts: { archivedToo?: boolean } = {}
): Promise<{ user: SessionUser; session: SessionRow; role: BoardRole }> {
	const { user, session } = requireUser(event);
	const role = await getRole(event.locals.app.db, boardId, user.id);
	if (role === null) error(404, 'Not Found');
	if (!roleAllows(role, action)) {
		logger.warn({ userId: user.id, board: boardId, action, role }, 'authz: denied');
		error(403, 'Forbidden');
	}
	if (!READ_ACTIONS.has(action) && !opts.archivedToo) await requireNotArchived(event, boardId);
	return { user, session, role };
}

/**
 * An archived board is read-only for everyone until a facilitator restores it: every change
 * through HTTP stops here (the realtime server refuses socket updates on its own). Called by
 * requireBoardRole for every changing action, and directly by changes any member may attempt
 * (an action's status, decided further in by its owner).
 */
export async function requireNotArchived(
	event: Pick<RequestEvent, 'locals'>,
	boardId: string
): Promise<void> {
	if (await isArchived(event.locals.app.db, boardId)) error(409, 'board.archived.refused');
}
