import { redirect } from '@sveltejs/kit';
import { isLocale } from '$lib/i18n/messages';
import { setLocale } from '$lib/server/auth/accounts';
import { safeRedirectPath } from '$lib/server/auth/guards';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => redirect(303, '/');

/** The language switch: remembered in a cookie, and on the account when signed in. */
export const actions: Actions = {
	default: async ({ request, cookies, locals, url }) => {
		const form = await request.formData();
		const lang = form.get('lang');
		const back = form.get('redirectTo');
		if (isLocale(lang)) {
			cookies.set('lang', lang, {
				path: '/',
				httpOnly: true,
				sameSite: 'lax',
				secure: url.protocol === 'https:',
				maxAge: 365 * 24 * 60 * 60
			});
			if (locals.user) await setLocale(locals.app.db, locals.user.id, lang);
		}
		redirect(303, safeRedirectPath(typeof back === 'string' ? back : null));
	}
};
