import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { deleteAccount } from '$lib/server/account/delete';
import { clearSessionCookie } from '$lib/server/auth/cookies';
import { passwordForm, profileForm, revokeForm } from '$lib/domain/accounts/forms';
import { checkPassword } from '$lib/domain/accounts/password-policy';
import { SECTORS } from '$lib/domain/accounts/sectors';
import { changePassword, updateProfile } from '$lib/server/auth/accounts';
import { requireUser } from '$lib/server/auth/guards';
import { endSessionsForNewPassword, revokeOwnSession } from '$lib/server/auth/session-end';
import { listSessions } from '$lib/server/auth/sessions';
import { startSession } from '$lib/server/auth/signin';
import { clientIp } from '$lib/server/http/client';
import { formFailure, readForm } from '$lib/server/http/forms';
import type { Actions, PageServerLoad } from './$types';

const deleteForm = z.strictObject({ confirm: z.string().max(200) });

export const load: PageServerLoad = async (event) => {
	const { user, session } = requireUser(event);
	const { app } = event.locals;
	return {
		sectors: SECTORS,
		profile: {
			username: user.username,
			displayName: user.display_name,
			sector: user.sector,
			organisation: user.organisation,
			nameInRecord:
				(
					await app.db
						.selectFrom('users')
						.select('name_in_record')
						.where('id', '=', user.id)
						.executeTakeFirst()
				)?.name_in_record === 1,
			isAdmin: user.is_admin === 1
		},
		sessions: await listSessions(app.db, user.id, session.id, app.now())
	};
};

export const actions: Actions = {
	profile: async (event) => {
		const { user } = requireUser(event);
		const form = readForm(await event.request.formData(), profileForm);
		if (!form.ok) return fail(400, { action: 'profile', ...formFailure(form.errors, form.values) });
		await updateProfile(event.locals.app.db, user.id, {
			displayName: form.data.display_name,
			sector: form.data.sector,
			organisation: form.data.organisation,
			nameInRecord: form.data.name_in_record === 'on'
		});
		return { action: 'profile', saved: true };
	},

	/** AUTH-04 and SESS-08: needs the current password; ends every other session. */
	password: async (event) => {
		const { user } = requireUser(event);
		const { app } = event.locals;
		const form = readForm(await event.request.formData(), passwordForm);
		if (!form.ok) return fail(400, { action: 'password', ...formFailure(form.errors) });
		if (checkPassword(form.data.new_password, user.username) === 'password_common')
			return fail(400, {
				action: 'password',
				...formFailure({ new_password: { key: 'error.password_common' } })
			});
		const now = app.now();
		const changed = await changePassword(
			app.db,
			user.id,
			form.data.current_password,
			form.data.new_password,
			now
		);
		if (!changed)
			return fail(400, {
				action: 'password',
				...formFailure({ current_password: { key: 'error.current_password' } })
			});
		await endSessionsForNewPassword(app, { userId: user.id, ip: clientIp(event), at: now });
		// This device continues on a fresh session; the one it had is ended like the others.
		await startSession(event, user.id, null);
		return { action: 'password', changed: true };
	},

	/** APPI: the person deletes their own account, confirming with their username. */
	delete: async (event) => {
		const { user } = requireUser(event);
		const { app } = event.locals;
		const form = readForm(await event.request.formData(), deleteForm);
		if (!form.ok || form.data.confirm !== user.username)
			return fail(400, {
				action: 'delete',
				...formFailure({ confirm: { key: 'account.delete.mismatch' } })
			});
		const r = await deleteAccount(app, user.id);
		if (!r.ok)
			return fail(r.error === 'last_admin' ? 409 : 404, {
				action: 'delete',
				...formFailure({
					_form: { key: r.error === 'last_admin' ? 'account.delete.lastAdmin' : 'error.not_found' }
				})
			});
		clearSessionCookie(event.cookies, event.url);
		redirect(303, '/?deleted=1');
	},

	revoke: async (event) => {
		const { user } = requireUser(event);
		const { app } = event.locals;
		const form = readForm(await event.request.formData(), revokeForm);
		if (!form.ok) return fail(400, { action: 'revoke', ...formFailure(form.errors) });
		const revoked = await revokeOwnSession(app, {
			userId: user.id,
			publicId: form.data.session,
			ip: clientIp(event)
		});
		if (!revoked)
			return fail(404, { action: 'revoke', ...formFailure({ _form: { key: 'error.not_found' } }) });
		return { action: 'revoke', revoked: true };
	}
};
