import { fail, type RequestEvent } from '@sveltejs/kit';
import { progressForm } from '../../domain/decisions/forms';
import { roleAllows } from '../../domain/board/roles';
import { requireBoardRole, requireNotArchived } from '../auth/guards';
import { formFailure, readForm } from '../http/forms';
import { updateProgress } from './actions';
import { logger } from '../log/logger';

/**
 * The "status and notes" form action, shared by the decision pages and /actions. Any member may
 * reach it; whether this member may change this action (its owner, or a facilitator) is decided
 * by updateProgress from the stored owner.
 */
export async function progressAction(event: RequestEvent, boardId: string) {
	const { user, role } = await requireBoardRole(event, boardId, 'read');
	await requireNotArchived(event, boardId);
	const form = readForm(await event.request.formData(), progressForm);
	if (!form.ok) return fail(400, formFailure(form.errors, form.values));
	const { app } = event.locals;
	const r = await updateProgress(
		app.db,
		boardId,
		form.data.action,
		{ status: form.data.status, notes: form.data.notes },
		{ id: user.id, name: user.display_name, facilitator: roleAllows(role, 'decide') },
		app.now()
	);
	if (!r.ok) {
		if (r.error === 'forbidden')
			logger.warn(
				{ userId: user.id, board: boardId, action: `progress:${form.data.action}` },
				'authz: denied'
			);
		return fail(
			r.error === 'forbidden' ? 403 : 404,
			formFailure({ _form: { key: `action.error.${r.error}` } })
		);
	}
	return { done: 'progress' as const, action: form.data.action };
}
