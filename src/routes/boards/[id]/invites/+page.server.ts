import { error, fail } from '@sveltejs/kit';
import QRCode from 'qrcode';
import { isBoardId } from '$lib/domain/board/id';
import {
	createInviteForm,
	INVITE_DURATIONS,
	INVITE_ROLES,
	revokeInviteForm
} from '$lib/domain/board/invites';
import { requireBoardRole } from '$lib/server/auth/guards';
import { getBoard } from '$lib/server/boards/boards';
import { createInvite, listInvites, revokeInvite, showableToken } from '$lib/server/boards/invites';
import { formFailure, readForm } from '$lib/server/http/forms';
import type { Actions, PageServerLoad } from './$types';

function boardIdOf(params: { id: string }): string {
	if (!isBoardId(params.id)) error(404, 'Not Found');
	return params.id;
}

export const load: PageServerLoad = async (event) => {
	const id = boardIdOf(event.params);
	await requireBoardRole(event, id, 'manage_members');
	const { db, config, secret, now: clock } = event.locals.app;
	const board = await getBoard(db, id);
	if (!board) error(404, 'Not Found');
	const now = clock();
	const invites = await Promise.all(
		(await listInvites(db, id)).map(async ({ tokenHash, ...i }) => {
			const active = i.revokedAt === null && i.expiresAt > now && i.uses < i.maxUses;
			// Only a link that still works is shown again; the token is derived, never stored.
			const token = active ? showableToken(secret, { id: i.id, tokenHash }) : null;
			// Absolute links come from the configured ORIGIN, never the request's Host (CSRF-04).
			const link = token ? `${config.origin}/invite/${token}` : null;
			const qr = link
				? await QRCode.toDataURL(link, { errorCorrectionLevel: 'M', margin: 2, width: 640 })
				: null;
			return { ...i, link, qr };
		})
	);
	return {
		board: { id, title: board.title },
		invites,
		roles: INVITE_ROLES,
		durations: Object.keys(INVITE_DURATIONS) as (keyof typeof INVITE_DURATIONS)[],
		now
	};
};

export const actions: Actions = {
	create: async (event) => {
		const id = boardIdOf(event.params);
		const { user } = await requireBoardRole(event, id, 'manage_members');
		const form = readForm(await event.request.formData(), createInviteForm);
		if (!form.ok) return fail(400, formFailure(form.errors, form.values));
		const { app } = event.locals;
		const now = app.now();
		const { id: inviteId } = await createInvite(app.db, app.secret, {
			boardId: id,
			role: form.data.role,
			expiresAt: now + INVITE_DURATIONS[form.data.expires] * 3600_000,
			maxUses: form.data.max_uses,
			note: form.data.note,
			welcome: form.data.welcome,
			by: user.id,
			now
		});
		return { created: inviteId };
	},

	revoke: async (event) => {
		const id = boardIdOf(event.params);
		await requireBoardRole(event, id, 'manage_members');
		const form = readForm(await event.request.formData(), revokeInviteForm);
		if (!form.ok) return fail(400, formFailure(form.errors));
		const ok = await revokeInvite(
			event.locals.app.db,
			id,
			form.data.invite,
			event.locals.app.now()
		);
		if (!ok) return fail(404, formFailure({ _form: { key: 'error.not_found' } }));
		return { revoked: true };
	}
};
