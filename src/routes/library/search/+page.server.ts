import { isSearching, parseSearchParams, type SearchField } from '$lib/domain/library/search-query';
import { listHorizons, listReports } from '$lib/server/reports/reports';
import { search } from '$lib/server/reports/search';
import type { PageServerLoad } from './$types';

/** Results per page: a screenful of cards that still loads fast without JavaScript. */
const PAGE_SIZE = 20;

export const load: PageServerLoad = async ({ locals, url }) => {
	const { db } = locals.app;
	const parsed = parseSearchParams(url.searchParams);
	const [reports, horizons] = await Promise.all([listReports(db), listHorizons(db)]);
	const options = {
		reports: reports.map((r) => ({ slug: r.slug, title_ja: r.title_ja, title_en: r.title_en })),
		horizons
	};
	// A bad parameter is answered with a message naming it, not with results for a query the
	// user did not ask for.
	if (!parsed.ok) return { query: parsed.query, invalid: parsed.invalid, options, results: null };
	const { page, ...filters } = parsed.query;
	const results = isSearching(filters)
		? await search(db, filters, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE })
		: null;
	return {
		query: parsed.query,
		invalid: [] as SearchField[],
		options,
		results: results && { ...results, pages: Math.max(1, Math.ceil(results.total / PAGE_SIZE)) }
	};
};
