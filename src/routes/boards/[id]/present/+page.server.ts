import { error, fail } from '@sveltejs/kit';
import QRCode from 'qrcode';
import { z } from 'zod';
import { readBoard } from '$lib/domain/board/doc';
import { isBoardId } from '$lib/domain/board/id';
import { INVITE_DURATIONS } from '$lib/domain/board/invites';
import { roleAllows } from '$lib/domain/board/roles';
import { translator } from '$lib/i18n/translate';
import { requireBoardRole } from '$lib/server/auth/guards';
import { getBoard } from '$lib/server/boards/boards';
import { getFacilitation } from '$lib/server/boards/facilitation';
import { createInvite } from '$lib/server/boards/invites';
import { readBoardDoc } from '$lib/server/collab';
import { formFailure, readForm } from '$lib/server/http/forms';
import type { Actions, PageServerLoad } from './$types';

/**
 * The room's invite from the projector: a participant link for the evening. Invite tokens are
 * stored only as hashes (INV-01), so an earlier link cannot be shown again; a fresh one is made.
 */
const ROOM_INVITE = { role: 'participant', expires: '2h', maxUses: 100 } as const;

function boardIdOf(params: { id: string }): string {
	if (!isBoardId(params.id)) error(404, 'Not Found');
	return params.id;
}

/** The projector view: read-only for everyone; it follows the board live once its socket syncs. */
export const load: PageServerLoad = async (event) => {
	const id = boardIdOf(event.params);
	const { user, role } = await requireBoardRole(event, id, 'read');
	const { app } = event.locals;
	const board = await getBoard(app.db, id);
	if (!board) error(404, 'Not Found');
	const doc = await readBoardDoc(app, id);
	const initial = readBoard(doc);
	doc.destroy();
	const archived = board.archived_at !== null;
	return {
		board: { id, title: board.title, archived },
		initial,
		facilitation: await getFacilitation(app.db, id),
		serverNow: app.now(),
		// Showing an invite is making one: only those who may invite, and not on an archived board.
		canInvite: roleAllows(role, 'manage_members') && !archived,
		inviteUses: ROOM_INVITE.maxUses,
		me: { id: user.id, name: user.display_name, sector: user.sector }
	};
};

export const actions: Actions = {
	invite: async (event) => {
		const id = boardIdOf(event.params);
		const { user } = await requireBoardRole(event, id, 'manage_members');
		const form = readForm(await event.request.formData(), z.strictObject({}));
		if (!form.ok) return fail(400, formFailure(form.errors));
		const { app } = event.locals;
		const now = app.now();
		const { token } = await createInvite(app.db, app.secret, {
			boardId: id,
			role: ROOM_INVITE.role,
			expiresAt: now + INVITE_DURATIONS[ROOM_INVITE.expires] * 3600_000,
			maxUses: ROOM_INVITE.maxUses,
			note: translator(event.locals.locale)('present.qr.note'),
			by: user.id,
			now
		});
		// Absolute links come from the configured ORIGIN, never the request's Host (CSRF-04).
		const link = `${app.config.origin}/invite/${token}`;
		const qr = await QRCode.toDataURL(link, { errorCorrectionLevel: 'M', margin: 2, width: 720 });
		return {
			created: { link, qr, expiresAt: now + INVITE_DURATIONS[ROOM_INVITE.expires] * 3600_000 }
		};
	}
};
