import type { ReportOverview } from '../../domain/library/library-types';
import type { ItemKind, ThemeKey } from '../../domain/library/vocabulary';
import type { Db } from '../db/connect';

/** How many themes a report's overview names. */
const TOP_THEMES = 5;

/** The published reports in the order the library lists them: newest first. */
export function listReports(db: Db): Promise<ReportOverview[]> {
	return overviews(db, null);
}

/** One published report's overview, or null. */
export async function getReportOverview(db: Db, slug: string): Promise<ReportOverview | null> {
	return (await overviews(db, slug))[0] ?? null;
}

async function overviews(db: Db, slug: string | null): Promise<ReportOverview[]> {
	const reports = await db
		.selectFrom('reports')
		.selectAll()
		.where('retired_at', 'is', null)
		.$if(slug !== null, (qb) => qb.where('slug', '=', slug ?? ''))
		.orderBy('date', 'desc')
		.orderBy('slug')
		.execute();
	const kinds = await db
		.selectFrom('items')
		.select(['report_slug', 'kind', (eb) => eb.fn.countAll<number>().as('n')])
		.where('retired_at', 'is', null)
		.$if(slug !== null, (qb) => qb.where('report_slug', '=', slug ?? ''))
		.groupBy(['report_slug', 'kind'])
		.execute();
	const themes = await db
		.selectFrom('item_themes as t')
		.innerJoin('items as i', 'i.id', 't.item_id')
		.select(['i.report_slug', 't.theme', (eb) => eb.fn.countAll<number>().as('n')])
		.where('i.retired_at', 'is', null)
		.$if(slug !== null, (qb) => qb.where('i.report_slug', '=', slug ?? ''))
		.groupBy(['i.report_slug', 't.theme'])
		.orderBy('n', 'desc')
		.orderBy('t.theme')
		.execute();

	return reports.map((r) => {
		const counts: Record<ItemKind, number> = { issue: 0, proposal: 0, target: 0 };
		for (const k of kinds) if (k.report_slug === r.slug) counts[k.kind] = k.n;
		return {
			slug: r.slug,
			title_ja: r.title_ja,
			title_en: r.title_en,
			publisher_ja: r.publisher_ja,
			publisher_en: r.publisher_en,
			date: r.date,
			date_note: r.date_note,
			kind: r.kind,
			summary_ja: r.summary_ja,
			summary_en: r.summary_en,
			counts,
			total: counts.issue + counts.proposal + counts.target,
			topThemes: themes
				.filter((t) => t.report_slug === r.slug)
				.slice(0, TOP_THEMES)
				.map((t) => ({ theme: t.theme, count: t.n }))
		};
	});
}

/** How many published items carry each theme, across all reports (themes in use only). */
export async function countThemes(db: Db): Promise<Map<ThemeKey, number>> {
	const rows = await db
		.selectFrom('item_themes as t')
		.innerJoin('items as i', 'i.id', 't.item_id')
		.select(['t.theme', (eb) => eb.fn.countAll<number>().as('n')])
		.where('i.retired_at', 'is', null)
		.groupBy('t.theme')
		.execute();
	return new Map(rows.map((r) => [r.theme, r.n]));
}

/** The target years items carry, for the search filter. */
export async function listHorizons(db: Db): Promise<number[]> {
	const rows = await db
		.selectFrom('items')
		.select('horizon')
		.distinct()
		.where('horizon', 'is not', null)
		.where('retired_at', 'is', null)
		.orderBy('horizon')
		.execute();
	return rows.flatMap((r) => (r.horizon === null ? [] : [r.horizon]));
}
