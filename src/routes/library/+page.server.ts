import { THEMES, type ThemeKey } from '$lib/domain/library/vocabulary';
import { countThemes, listReports } from '$lib/server/reports/reports';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	const { db } = locals.app;
	const [reports, themeCounts] = await Promise.all([listReports(db), countThemes(db)]);
	return {
		reports,
		// In the vocabulary's order, themes no item carries left out.
		themes: (Object.keys(THEMES) as ThemeKey[]).flatMap((theme) => {
			const count = themeCounts.get(theme) ?? 0;
			return count > 0 ? [{ theme, count }] : [];
		})
	};
};
