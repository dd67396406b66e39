import { THEMES, type ThemeKey } from '$lib/domain/library/vocabulary';
import { mayCreateBoards } from '$lib/server/admin/settings';
import { listImports } from '$lib/server/library-import/drafts';
import { countThemes, listReports } from '$lib/server/reports/reports';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	const { db } = locals.app;
	const [reports, themeCounts, imports] = await Promise.all([
		listReports(db),
		countThemes(db),
		listImports(db, null)
	]);
	return {
		reports,
		// Issue 17: which reports were imported on this instance, and by whom.
		imported: imports.filter((i) => i.status === 'published'),
		mayImport: locals.user ? await mayCreateBoards(db, locals.user) : false,
		// In the vocabulary's order, themes no item carries left out.
		themes: (Object.keys(THEMES) as ThemeKey[]).flatMap((theme) => {
			const count = themeCounts.get(theme) ?? 0;
			return count > 0 ? [{ theme, count }] : [];
		})
	};
};
