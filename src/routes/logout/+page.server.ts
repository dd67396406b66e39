import { redirect } from '@sveltejs/kit';
import { recordAuthEvent } from '$lib/server/auth/audit';
import { clearSessionCookie } from '$lib/server/auth/cookies';
import { invalidateSession } from '$lib/server/auth/sessions';
import { clientIp } from '$lib/server/http/client';
import type { Actions, PageServerLoad } from './$types';

/** GET only shows a sign-out button: signing out is a POST (CSRF-03). */
export const load: PageServerLoad = ({ locals }) => {
	if (!locals.user) redirect(303, '/');
	return {};
};

export const actions: Actions = {
	default: async (event) => {
		const { locals, cookies, url } = event;
		const { app, session, user } = locals;
		if (session && user) {
			await invalidateSession(app.db, session.id);
			app.events.emit('sessions-revoked', [session.id]);
			await recordAuthEvent(app.db, {
				kind: 'logout',
				userId: user.id,
				usernameKey: null,
				ip: clientIp(event),
				at: app.now()
			});
		}
		clearSessionCookie(cookies, url);
		redirect(303, '/');
	}
};
