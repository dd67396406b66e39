import { fail } from '@sveltejs/kit';
import {
	BOARD_POLICIES,
	REGISTRATION_POLICIES,
	boardPolicyForm,
	creatorForm,
	registrationForm,
	userIdForm
} from '$lib/domain/admin/policies';
import { normalizeUsername } from '$lib/domain/accounts/username';
import { requireAdmin } from '$lib/server/auth/guards';
import {
	addBoardCreator,
	boardPolicy,
	listBoardCreators,
	registrationPolicy,
	removeBoardCreator,
	setBoardPolicy,
	setRegistrationPolicy
} from '$lib/server/admin/settings';
import { readForm } from '$lib/server/http/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireAdmin(event);
	const { db } = event.locals.app;
	return {
		registrationPolicies: REGISTRATION_POLICIES,
		boardPolicies: BOARD_POLICIES,
		registration: await registrationPolicy(db),
		boards: await boardPolicy(db),
		creators: await listBoardCreators(db)
	};
};

const bad = () => fail(400, { error: 'error.invalid' as const });

export const actions: Actions = {
	registration: async (event) => {
		const admin = requireAdmin(event);
		const { app } = event.locals;
		const form = readForm(await event.request.formData(), registrationForm);
		if (!form.ok) return bad();
		const actor = { id: admin.id, name: admin.display_name };
		await setRegistrationPolicy(app.db, form.data.policy, actor, app.now());
		return { saved: true };
	},
	boards: async (event) => {
		const admin = requireAdmin(event);
		const { app } = event.locals;
		const form = readForm(await event.request.formData(), boardPolicyForm);
		if (!form.ok) return bad();
		const actor = { id: admin.id, name: admin.display_name };
		await setBoardPolicy(app.db, form.data.policy, actor, app.now());
		return { saved: true };
	},
	addCreator: async (event) => {
		const admin = requireAdmin(event);
		const { app } = event.locals;
		const form = readForm(await event.request.formData(), creatorForm);
		if (!form.ok) return bad();
		const name = normalizeUsername(form.data.username);
		const actor = { id: admin.id, name: admin.display_name };
		const r = name.ok ? await addBoardCreator(app.db, name.key, actor, app.now()) : 'not_found';
		if (r !== 'ok')
			return fail(404, {
				error: 'admin.error.unknown_user' as const,
				username: form.data.username
			});
		return { saved: true };
	},
	removeCreator: async (event) => {
		const admin = requireAdmin(event);
		const { app } = event.locals;
		const form = readForm(await event.request.formData(), userIdForm);
		if (!form.ok) return bad();
		const actor = { id: admin.id, name: admin.display_name };
		const r = await removeBoardCreator(app.db, Number(form.data.user), actor, app.now());
		if (r !== 'ok') return fail(404, { error: 'admin.error.not_found' as const });
		return { saved: true };
	}
};
