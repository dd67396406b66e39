import { fail } from '@sveltejs/kit';
import { requireAdmin } from '$lib/server/auth/guards';
import { overview } from '$lib/server/admin/overview';
import { recordAdminAudit } from '$lib/server/admin/audit';
import { backupNow } from '$lib/server/backup/service';
import { liveCounts } from '$lib/server/metrics/collab';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireAdmin(event);
	const { app } = event.locals;
	return {
		overview: await overview(app, liveCounts(app)),
		backupConfigured: !!app.config.backupDir
	};
};

export const actions: Actions = {
	backup: async (event) => {
		const admin = requireAdmin(event);
		const { app } = event.locals;
		const outcome = await backupNow(app, `requested by user ${admin.id}`);
		if (!outcome.ok)
			return fail(outcome.problem === 'running' ? 409 : outcome.problem === 'failed' ? 500 : 400, {
				problem: outcome.problem,
				message: outcome.message ?? ''
			});
		await recordAdminAudit(app.db, {
			actor: { id: admin.id, name: admin.display_name },
			kind: 'backup_requested',
			subject: 'backup',
			detail: { file: outcome.result.file, bytes: outcome.result.bytes },
			at: app.now()
		});
		return { file: outcome.result.file };
	}
};
