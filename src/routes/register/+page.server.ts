import { fail, redirect } from '@sveltejs/kit';
import { registerForm } from '$lib/domain/accounts/forms';
import { SECTORS } from '$lib/domain/accounts/sectors';
import { registerUser } from '$lib/server/auth/accounts';
import { recordAuthEvent } from '$lib/server/auth/audit';
import { safeRedirectPath } from '$lib/server/auth/guards';
import { getSessionTokenFromCookies, startSession } from '$lib/server/auth/signin';
import { clientIp } from '$lib/server/http/client';
import { formFailure, readForm } from '$lib/server/http/forms';
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
		const { locals, request, setHeaders, url } = event;
		const { app } = locals;
		const now = app.now();
		const ip = clientIp(event);
		const form = readForm(await request.formData(), registerForm);
		const values = form.ok ? undefined : form.values;
		const wait = app.throttles.registerIp.take(ip, now);
		if (wait > 0) {
			const seconds = Math.ceil(wait / 1000);
			setHeaders({ 'Retry-After': String(seconds) });
			await recordAuthEvent(app.db, {
				kind: 'register_throttled',
				userId: null,
				usernameKey: null,
				ip,
				at: now
			});
			return fail(
				429,
				formFailure({ _form: { key: 'error.throttled', params: { seconds } } }, values)
			);
		}
		if (!form.ok) return fail(400, formFailure(form.errors, form.values));
		const d = form.data;
		const echo = {
			username: d.username.username,
			display_name: d.display_name,
			sector: d.sector,
			organisation: d.organisation
		};
		const nameWait = app.throttles.registerName.wait(d.username.key, now);
		if (nameWait > 0) {
			const seconds = Math.ceil(nameWait / 1000);
			setHeaders({ 'Retry-After': String(seconds) });
			return fail(
				429,
				formFailure({ _form: { key: 'error.throttled', params: { seconds } } }, echo)
			);
		}
		const result = await registerUser(
			app.db,
			{
				username: d.username.username,
				usernameKey: d.username.key,
				displayName: d.display_name,
				password: d.password,
				sector: d.sector,
				organisation: d.organisation,
				locale: locals.locale
			},
			now
		);
		if (!result.ok) {
			app.throttles.registerName.fail(d.username.key, now);
			return fail(409, formFailure({ username: { key: 'error.username_taken' } }, echo));
		}
		await startSession(event, result.user.id, getSessionTokenFromCookies(event));
		await recordAuthEvent(app.db, {
			kind: 'register_ok',
			userId: result.user.id,
			usernameKey: d.username.key,
			ip,
			at: now
		});
		redirect(303, safeRedirectPath(url.searchParams.get('redirectTo')));
	}
};
