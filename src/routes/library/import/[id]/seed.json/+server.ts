import { error } from '@sveltejs/kit';
import { requireCurator } from '$lib/server/library-import/guard';
import { exportSeed } from '$lib/server/library-import/publish';
import type { RequestHandler } from './$types';

/** The published seed file, in seeds/reports format, to share or to take into the project. */
export const GET: RequestHandler = async (event) => {
	await requireCurator(event, event.params.id);
	const seed = await exportSeed(event.locals.app.db, event.params.id);
	if (!seed) error(404, 'error.not_found');
	return new Response(seed.json, {
		headers: {
			'Content-Type': 'application/json; charset=utf-8',
			'Content-Disposition': `attachment; filename="${seed.slug}.json"`
		}
	});
};
