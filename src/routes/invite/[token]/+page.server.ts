import { error, redirect } from '@sveltejs/kit';
import { inspectInvite } from '$lib/server/boards/invites';
import { parkInviteToken } from '$lib/server/boards/invite-cookie';
import { clientIp } from '$lib/server/http/client';
import type { PageServerLoad } from './$types';
import { metrics } from '$lib/server/metrics/registry';

/** Opening a link: check it, park the token, continue on the token-free /invite page. */
export const load: PageServerLoad = async (event) => {
	const { app } = event.locals;
	event.setHeaders({ 'Referrer-Policy': 'no-referrer' });
	const wait = await app.throttles.inviteIp.take(clientIp(event), app.now());
	if (wait > 0) {
		metrics().throttled.inc({ throttle: 'invite' });
		event.setHeaders({ 'Retry-After': String(Math.ceil(wait / 1000)) });
		error(429, 'invite.throttled');
	}
	const checked = await inspectInvite(app.db, event.params.token, app.now());
	if (!checked.ok)
		error(
			checked.problem === 'not_found' || checked.problem === 'revoked' ? 404 : 410,
			`invite.${checked.problem}`
		);
	parkInviteToken(event.cookies, event.url, event.params.token);
	redirect(303, '/invite');
};
