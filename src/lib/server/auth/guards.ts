import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import type { SessionUser } from './sessions';
import type { SessionRow } from '../db/schema';

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

/**
 * INP-07: only same-origin paths are followed after sign-in — not `//evil`, `/\evil`,
 * `https://evil` or anything with a scheme.
 */
export function safeRedirectPath(target: string | null | undefined, fallback = '/'): string {
	if (!target || !target.startsWith('/') || target.startsWith('//') || target.startsWith('/\\'))
		return fallback;
	try {
		const url = new URL(target, 'http://yoriai.invalid');
		if (url.origin !== 'http://yoriai.invalid') return fallback;
		return url.pathname + url.search + url.hash;
	} catch {
		return fallback;
	}
}
