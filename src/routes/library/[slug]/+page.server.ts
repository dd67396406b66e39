import { error } from '@sveltejs/kit';
import { getReportOutline } from '$lib/server/reports/outline';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
	const outline = await getReportOutline(locals.app.db, params.slug);
	if (!outline) error(404, 'Not Found');
	return { outline };
};
