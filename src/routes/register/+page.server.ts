import { fail, redirect } from '@sveltejs/kit';
import { formFailure } from '$lib/server/http/forms';
import { SECTORS } from '$lib/domain/accounts/sectors';
import { safeRedirectPath } from '$lib/server/auth/guards';
import { registerFromForm } from '$lib/server/auth/register-flow';
import { mayRegister, registrationPolicy } from '$lib/server/admin/settings';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	if (locals.user) redirect(303, '/');
	const { n } = await locals.app.db
		.selectFrom('users')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.executeTakeFirstOrThrow();
	const open = await mayRegister(locals.app.db, 'register');
	return {
		sectors: SECTORS,
		firstAccount: Number(n) === 0,
		// Why the form is not offered, when the administrators limited registration.
		refusal: open
			? null
			: (await registrationPolicy(locals.app.db)) === 'invite'
				? ('register.inviteOnly' as const)
				: ('register.closed' as const),
		redirectTo: safeRedirectPath(url.searchParams.get('redirectTo'))
	};
};

export const actions: Actions = {
	default: async (event) => {
		// Checked on the post itself: a form kept open from before the change is refused too.
		if (!(await mayRegister(event.locals.app.db, 'register'))) {
			const policy = await registrationPolicy(event.locals.app.db);
			return fail(
				403,
				formFailure({
					_form: { key: policy === 'invite' ? 'register.inviteOnly' : 'register.closed' }
				})
			);
		}
		const result = await registerFromForm(event, await event.request.formData());
		if (!('userId' in result)) return result;
		redirect(303, safeRedirectPath(event.url.searchParams.get('redirectTo')));
	}
};
