import { redirect } from '@sveltejs/kit';
import { clearSessionCookie } from '$lib/server/auth/cookies';
import { signOut } from '$lib/server/auth/session-end';
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
		if (session && user)
			await signOut(app, { sessionId: session.id, userId: user.id, ip: clientIp(event) });
		clearSessionCookie(cookies, url);
		redirect(303, '/');
	}
};
