import { redirect } from '@sveltejs/kit';
import { SECTORS } from '$lib/domain/accounts/sectors';
import { safeRedirectPath } from '$lib/server/auth/guards';
import { registerFromForm } from '$lib/server/auth/register-flow';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	if (locals.user) redirect(303, '/');
	const { n } = await locals.app.db
		.selectFrom('users')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.executeTakeFirstOrThrow();
	return {
		sectors: SECTORS,
		firstAccount: Number(n) === 0,
		redirectTo: safeRedirectPath(url.searchParams.get('redirectTo'))
	};
};

export const actions: Actions = {
	default: async (event) => {
		const result = await registerFromForm(event, await event.request.formData());
		if (!('userId' in result)) return result;
		redirect(303, safeRedirectPath(event.url.searchParams.get('redirectTo')));
	}
};
