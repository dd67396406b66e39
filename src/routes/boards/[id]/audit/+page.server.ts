import { error } from '@sveltejs/kit';
import { requireBoardRole } from '$lib/server/auth/guards';
import { getBoard } from '$lib/server/boards/boards';
import { auditSentence, auditSubject } from '$lib/domain/decisions/audit-text';
import { translator } from '$lib/i18n/translate';
import { auditNames, listAudit } from '$lib/server/boards/audit-log';
import { boardParam } from '$lib/server/http/params';
import type { PageServerLoad } from './$types';

/** The page shows the newest entries; the CSV export carries up to 10,000. */
const PAGE_ROWS = 500;

export const load: PageServerLoad = async (event) => {
	const id = boardParam(event.params);
	await requireBoardRole(event, id, 'audit');
	const { db } = event.locals.app;
	const board = await getBoard(db, id);
	if (!board) error(404, 'Not Found');
	const entries = await listAudit(db, id, PAGE_ROWS);
	const names = await auditNames(db, entries);
	const t = translator(event.locals.locale);
	return {
		board: { id, title: board.title },
		entries: entries.map((e) => ({
			id: e.id,
			at: e.at,
			actorId: e.actorId,
			actorName: e.actorName,
			kind: e.kind,
			subject: auditSubject(e, t, names),
			text: auditSentence(e, t, names)
		}))
	};
};
