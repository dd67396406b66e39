import { error, fail, redirect } from '@sveltejs/kit';
import { resetForm } from '$lib/domain/admin/reset-form';
import { checkPassword } from '$lib/domain/accounts/password-policy';
import { inspectReset, useReset } from '$lib/server/admin/resets';
import { endSessionsForNewPassword } from '$lib/server/auth/session-end';
import { startSession } from '$lib/server/auth/signin';
import { clientIp } from '$lib/server/http/client';
import { formFailure, readForm } from '$lib/server/http/forms';
import type { Actions, PageServerLoad } from './$types';

/**
 * A one-time password-reset link an administrator handed over. GET only shows whose password it
 * sets (link scanners use nothing); the POST sets it, uses the link, ends every session of the
 * person and signs this browser in on a fresh one. No referrer leaves this page: the token is in
 * its address.
 */
export const load: PageServerLoad = async ({ params, locals, setHeaders }) => {
	setHeaders({ 'Referrer-Policy': 'no-referrer' });
	const checked = await inspectReset(locals.app.db, params.token, locals.app.now());
	if (!checked.ok)
		error(checked.problem === 'not_found' ? 404 : 410, `reset.problem.${checked.problem}`);
	return { username: checked.username };
};

export const actions: Actions = {
	default: async (event) => {
		const { app } = event.locals;
		const form = readForm(await event.request.formData(), resetForm);
		if (!form.ok) return fail(400, formFailure(form.errors));
		const now = app.now();
		const checked = await inspectReset(app.db, event.params.token, now);
		if (!checked.ok)
			return fail(410, formFailure({ _form: { key: `reset.problem.${checked.problem}` } }));
		if (checkPassword(form.data.new_password, checked.username.toLowerCase()) === 'password_common')
			return fail(400, formFailure({ new_password: { key: 'error.password_common' } }));
		const r = await useReset(app.db, event.params.token, form.data.new_password, now);
		if (!r.ok) return fail(410, formFailure({ _form: { key: `reset.problem.${r.problem}` } }));
		await endSessionsForNewPassword(app, {
			userId: r.userId,
			ip: clientIp(event),
			at: now,
			ended: r.endedSessions
		});
		await startSession(event, r.userId, null);
		redirect(303, '/');
	}
};
