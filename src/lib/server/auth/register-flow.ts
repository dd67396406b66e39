import { fail, type ActionFailure, type RequestEvent } from '@sveltejs/kit';
import { registerForm } from '../../domain/accounts/forms';
import { clientIp } from '../http/client';
import { formFailure, readForm, type FormFailure } from '../http/forms';
import { registerUser } from './accounts';
import { recordAuthEvent } from './audit';
import { getSessionTokenFromCookies, startSession } from './signin';

/**
 * Registration as a form action step, shared by /register and the invite page (where a new
 * person registers and joins the board in one post): validation, both throttles, the account,
 * and a fresh session. Returns the new user's id, or the failure to return from the action.
 */
export async function registerFromForm(
	event: RequestEvent,
	form: FormData
): Promise<{ userId: number } | ActionFailure<FormFailure>> {
	const { locals, setHeaders } = event;
	const { app } = locals;
	const now = app.now();
	const ip = clientIp(event);
	const parsed = readForm(form, registerForm);
	const throttled = (seconds: number, values: Record<string, string>) => {
		setHeaders({ 'Retry-After': String(seconds) });
		return fail(
			429,
			formFailure({ _form: { key: 'error.throttled', params: { seconds } } }, values)
		);
	};
	const wait = await app.throttles.registerIp.take(ip, now);
	if (wait > 0) {
		await recordAuthEvent(app.db, {
			kind: 'register_throttled',
			userId: null,
			usernameKey: null,
			ip,
			at: now
		});
		return throttled(Math.ceil(wait / 1000), parsed.ok ? {} : parsed.values);
	}
	if (!parsed.ok) return fail(400, formFailure(parsed.errors, parsed.values));
	const d = parsed.data;
	const echo = {
		username: d.username.username,
		display_name: d.display_name,
		sector: d.sector,
		organisation: d.organisation
	};
	const nameWait = await app.throttles.registerName.wait(d.username.key, now);
	if (nameWait > 0) return throttled(Math.ceil(nameWait / 1000), echo);
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
		await app.throttles.registerName.fail(d.username.key, now);
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
	return { userId: result.user.id };
}
