import { requireAdmin } from '$lib/server/auth/guards';
import { listAdminAudit } from '$lib/server/admin/audit';
import type { PageServerLoad } from './$types';

/** The page shows the newest entries; the CSV carries up to ADMIN_AUDIT_LIMIT. */
const PAGE_ROWS = 500;

export const load: PageServerLoad = async (event) => {
	requireAdmin(event);
	return { entries: await listAdminAudit(event.locals.app.db, PAGE_ROWS) };
};
