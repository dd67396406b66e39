import { fail } from '@sveltejs/kit';
import { userIdForm } from '$lib/domain/admin/policies';
import { requireAdmin } from '$lib/server/auth/guards';
import { issueReset } from '$lib/server/admin/resets';
import { listUsers, setAdmin, setDisabled, type UserChange } from '$lib/server/admin/users';
import { announceSessionsEnded } from '$lib/server/events/announce';
import { readForm } from '$lib/server/http/forms';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

export const load: PageServerLoad = async (event) => {
	requireAdmin(event);
	const q = (event.url.searchParams.get('q') ?? '').slice(0, 100);
	return {
		q,
		users: await listUsers(event.locals.app.db, q, event.locals.locale),
		selfId: event.locals.user?.id ?? 0
	};
};

/** Reads the one field every user action has; a malformed one changes nothing. */
async function targetOf(event: RequestEvent): Promise<number | null> {
	const form = readForm(await event.request.formData(), userIdForm);
	return form.ok ? Number(form.data.user) : null;
}

async function nameOf(event: RequestEvent, id: number): Promise<string> {
	const row = await event.locals.app.db
		.selectFrom('users')
		.select('display_name')
		.where('id', '=', id)
		.executeTakeFirst();
	return row?.display_name ?? '';
}

function refused(result: Exclude<UserChange, 'ok'>) {
	return fail(result === 'not_found' ? 404 : 409, { error: `admin.error.${result}` as const });
}

const toggle =
	(change: 'disable' | 'enable' | 'grant' | 'revoke') => async (event: RequestEvent) => {
		const admin = requireAdmin(event);
		const { app } = event.locals;
		const id = await targetOf(event);
		if (id === null) return fail(400, { error: 'admin.error.not_found' as const });
		const actor = { id: admin.id, name: admin.display_name };
		const now = app.now();
		let result: UserChange;
		if (change === 'disable' || change === 'enable') {
			const r = await setDisabled(app.db, id, change === 'disable', actor, now);
			result = r.result;
			// Their open board sockets close now, not at the next periodic re-check.
			await announceSessionsEnded(app, r.endedSessions);
		} else {
			result = await setAdmin(app.db, id, change === 'grant', actor, now);
		}
		if (result !== 'ok') return refused(result);
		const done = (
			{
				disable: 'admin.users.done.user_disabled',
				enable: 'admin.users.done.user_enabled',
				grant: 'admin.users.done.admin_granted',
				revoke: 'admin.users.done.admin_revoked'
			} as const
		)[change];
		return { done, name: await nameOf(event, id) };
	};

export const actions: Actions = {
	disable: toggle('disable'),
	enable: toggle('enable'),
	grant: toggle('grant'),
	revoke: toggle('revoke'),
	/** The link is in this answer only: it is never stored, listed or shown again. */
	reset: async (event) => {
		const admin = requireAdmin(event);
		const { app } = event.locals;
		const id = await targetOf(event);
		if (id === null) return fail(400, { error: 'admin.error.not_found' as const });
		const r = await issueReset(app.db, id, { id: admin.id, name: admin.display_name }, app.now());
		if (!r.ok) return refused(r.problem);
		return {
			reset: {
				name: await nameOf(event, id),
				link: `${app.config.origin}/reset/${r.token}`,
				expiresAt: r.expiresAt
			}
		};
	}
};
