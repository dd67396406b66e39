import { fail, redirect } from '@sveltejs/kit';
import { loginForm } from '$lib/domain/accounts/forms';
import { normalizeUsername } from '$lib/domain/accounts/username';
import { authenticate } from '$lib/server/auth/accounts';
import { verifyDummy } from '$lib/server/auth/password';
import { recordAuthEvent } from '$lib/server/auth/audit';
import { getSessionTokenFromCookies, startSession } from '$lib/server/auth/signin';
import { safeRedirectPath } from '$lib/server/auth/guards';
import { clientIp } from '$lib/server/http/client';
import { formFailure, readForm } from '$lib/server/http/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.user) redirect(303, safeRedirectPath(url.searchParams.get('redirectTo')));
	return { redirectTo: safeRedirectPath(url.searchParams.get('redirectTo')) };
};

export const actions: Actions = {
	default: async (event) => {
		const { locals, request, setHeaders } = event;
		const { app } = locals;
		const now = app.now();
		const ip = clientIp(event);
		const form = readForm(await request.formData(), loginForm);
		if (!form.ok) return fail(400, formFailure(form.errors, form.values));
		const { username, password, redirectTo } = form.data;
		const normalized = normalizeUsername(username);
		// Unknown shapes share the throttle and the answer of unknown users (AUTH-05).
		const key = normalized.ok ? normalized.key : username.toLowerCase().slice(0, 64);

		const wait = Math.max(
			await app.throttles.loginIp.take(ip, now),
			await app.throttles.loginAccount.wait(key, now)
		);
		if (wait > 0) {
			const seconds = Math.ceil(wait / 1000);
			setHeaders({ 'Retry-After': String(seconds) });
			await recordAuthEvent(app.db, {
				kind: 'login_throttled',
				userId: null,
				usernameKey: key,
				ip,
				at: now
			});
			return fail(
				429,
				formFailure({ _form: { key: 'error.throttled', params: { seconds } } }, { username })
			);
		}

		const user = normalized.ok
			? await authenticate(app.db, key, password)
			: await verifyDummy(password).then(() => null);
		if (!user) {
			await app.throttles.loginAccount.fail(key, now);
			await recordAuthEvent(app.db, {
				kind: 'login_failed',
				userId: null,
				usernameKey: key,
				ip,
				at: now
			});
			return fail(400, formFailure({ _form: { key: 'error.login_failed' } }, { username }));
		}
		await app.throttles.loginAccount.reset(key);
		// Told only to whoever knows the password: the account exists but an administrator
		// disabled it, so there is nothing to retry.
		if (user.disabled_at !== null)
			return fail(403, formFailure({ _form: { key: 'admin.error.disabled_login' } }, { username }));
		await startSession(event, user.id, getSessionTokenFromCookies(event));
		await recordAuthEvent(app.db, {
			kind: 'login_ok',
			userId: user.id,
			usernameKey: key,
			ip,
			at: now
		});
		redirect(303, safeRedirectPath(redirectTo));
	}
};
