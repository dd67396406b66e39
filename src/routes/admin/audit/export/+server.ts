import { requireAdmin } from '$lib/server/auth/guards';
import { listAdminAudit } from '$lib/server/admin/audit';
import { tableToCsv } from '$lib/server/exports/csv';
import { translator } from '$lib/i18n/translate';
import { adminAuditSentence, adminAuditSubject } from '$lib/domain/admin/audit-text';
import type { RequestHandler } from './$types';

/** The instance audit log as CSV (RFC 4180, BOM, formula-guarded like every Yoriai CSV). */
export const GET: RequestHandler = async (event) => {
	requireAdmin(event);
	const t = translator(event.locals.locale);
	const entries = await listAdminAudit(event.locals.app.db);
	const csv = tableToCsv(
		{
			name: 'audit',
			columns: [
				{ header: t('admin.audit.col.at'), width: 20 },
				{ header: t('admin.audit.col.actor'), width: 20 },
				{ header: t('admin.audit.col.kind'), width: 24 },
				{ header: t('admin.audit.col.subject'), width: 16 },
				{ header: t('admin.audit.col.detail'), width: 40 },
				{ header: t('admin.audit.col.record'), width: 40 }
			],
			rows: entries.map((e) => [
				new Date(e.at).toISOString(),
				e.actorId === null && !e.actorName ? t('admin.audit.system') : e.actorName,
				t(`admin.audit.kind.${e.kind}`),
				adminAuditSubject(e, t),
				adminAuditSentence(e, t),
				// The stored entry as recorded, for whoever reads the CSV by machine.
				JSON.stringify({ subject: e.subject, ...e.detail })
			])
		},
		t
	);
	const day = new Date(event.locals.app.now()).toISOString().slice(0, 10);
	return new Response(csv, {
		headers: {
			'Content-Type': 'text/csv; charset=utf-8',
			'Content-Disposition': `attachment; filename="yoriai-admin-audit-${day}.csv"`,
			'Cache-Control': 'no-store'
		}
	});
};
