import { error } from '@sveltejs/kit';
import { RELATED_THRESHOLD, RELATED_TOP_K } from '$lib/domain/library/related';
import { itemId } from '$lib/domain/library/seed-schema';
import { getItem } from '$lib/server/reports/items';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
	// A malformed id cannot name an item: answer like any unknown one, without a query.
	const item = itemId.safeParse(params.id).success ? await getItem(locals.app.db, params.id) : null;
	if (!item) error(404, 'Not Found');
	return { item, related: { threshold: RELATED_THRESHOLD, topK: RELATED_TOP_K } };
};
