import { error, fail, redirect } from '@sveltejs/kit';
import { SECTORS } from '$lib/domain/accounts/sectors';
import { requireUser } from '$lib/server/auth/guards';
import { registerFromForm } from '$lib/server/auth/register-flow';
import { mayRegister } from '$lib/server/admin/settings';
import { clearInviteToken, parkedInviteToken } from '$lib/server/boards/invite-cookie';
import { inspectInvite } from '$lib/server/boards/invites';
import { joinBoardByInvite } from '$lib/server/boards/member-changes';
import { clientIp } from '$lib/server/http/client';
import { formFailure } from '$lib/server/http/forms';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { metrics } from '$lib/server/metrics/registry';

/**
 * GET only shows what joining means (INV-03): link scanners and prefetchers consume nothing.
 * This address holds no token, so it keeps the default Referrer-Policy — `no-referrer` here
 * would make browsers send `Origin: null` with the join form, which the CSRF check refuses.
 */
export const load: PageServerLoad = async ({ locals, cookies }) => {
	const token = parkedInviteToken(cookies);
	if (!token) error(400, 'invite.missing');
	const checked = await inspectInvite(locals.app.db, token, locals.app.now());
	if (!checked.ok)
		error(
			checked.problem === 'not_found' || checked.problem === 'revoked' ? 404 : 410,
			`invite.${checked.problem}`
		);
	return {
		invite: {
			boardTitle: checked.invite.boardTitle,
			role: checked.invite.role,
			welcome: checked.invite.welcome
		},
		sectors: SECTORS
	};
};

async function join(event: RequestEvent, userId: number) {
	const { app } = event.locals;
	const wait = await app.throttles.inviteIp.take(clientIp(event), app.now());
	if (wait > 0) {
		metrics().throttled.inc({ throttle: 'invite' });
		event.setHeaders({ 'Retry-After': String(Math.ceil(wait / 1000)) });
		return fail(
			429,
			formFailure({
				_form: { key: 'error.throttled', params: { seconds: Math.ceil(wait / 1000) } }
			})
		);
	}
	const token = parkedInviteToken(event.cookies);
	if (!token) error(400, 'invite.missing');
	const r = await joinBoardByInvite(app, token, userId);
	if (!r.ok)
		error(r.problem === 'not_found' || r.problem === 'revoked' ? 404 : 410, `invite.${r.problem}`);
	clearInviteToken(event.cookies, event.url);
	redirect(303, `/boards/${r.boardId}`);
}

export const actions: Actions = {
	/** A signed-in person joins with the invite's role. */
	join: async (event) => {
		const { user } = requireUser(event);
		return join(event, user.id);
	},
	/** A new person creates an account and joins in the same step. */
	register: async (event) => {
		if (event.locals.user) return join(event, event.locals.user.id);
		// Invite-only registration works here; closed registration refuses even an invite.
		if (!(await mayRegister(event.locals.app.db, 'invite')))
			return fail(403, formFailure({ _form: { key: 'register.closed' } }));
		const result = await registerFromForm(event, await event.request.formData());
		if (!('userId' in result)) return result;
		return join(event, result.userId);
	}
};
