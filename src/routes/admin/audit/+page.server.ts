import { adminAuditSentence, adminAuditSubject } from '$lib/domain/admin/audit-text';
import { translator } from '$lib/i18n/translate';
import { requireAdmin } from '$lib/server/auth/guards';
import { listAdminAudit } from '$lib/server/admin/audit';
import type { PageServerLoad } from './$types';

/** The page shows the newest entries; the CSV carries up to ADMIN_AUDIT_LIMIT. */
const PAGE_ROWS = 500;

export const load: PageServerLoad = async (event) => {
	requireAdmin(event);
	const t = translator(event.locals.locale);
	const entries = await listAdminAudit(event.locals.app.db, PAGE_ROWS);
	return {
		entries: entries.map((e) => ({
			id: e.id,
			at: e.at,
			actorId: e.actorId,
			actorName: e.actorName,
			kind: e.kind,
			subject: adminAuditSubject(e, t),
			text: adminAuditSentence(e, t)
		}))
	};
};
