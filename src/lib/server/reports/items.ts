import type { ItemDetail, ItemSummary, SectionRef } from '../../domain/library/library-types';
import type { ThemeKey } from '../../domain/library/vocabulary';
import type { Db } from '../db/connect';
import { selectItemSummaries, toItemSummaries, toItemSummary } from './item-summary';
import { linksOf } from './links';

/** How many items of each of its themes an item's page lists from each other report. */
const SAME_THEME_PER_REPORT = 2;

/**
 * One item in full, published or retired (a retired item stays resolvable: boards and decisions
 * refer to it). Null when no item has this id.
 */
export async function getItem(db: Db, id: string): Promise<ItemDetail | null> {
	const row = await selectItemSummaries(db)
		.select([
			'i.summary_ja',
			'i.quote',
			'i.horizon',
			'i.kpi',
			'i.modality',
			'i.page',
			'i.section_id',
			'i.parent_id',
			'r.publisher_ja',
			'r.publisher_en'
		])
		.where('i.id', '=', id)
		.executeTakeFirst();
	if (!row) return null;

	const [themes, actors, links, sectionPath, parent, children, related] = await Promise.all([
		db
			.selectFrom('item_themes')
			.select('theme')
			.where('item_id', '=', id)
			.orderBy('position')
			.execute(),
		db
			.selectFrom('item_actors')
			.select(['actor', 'stated'])
			.where('item_id', '=', id)
			.orderBy('position')
			.execute(),
		linksOf(db, [id], { includeRetired: true }),
		sectionAncestry(db, row.section_id),
		row.parent_id === null
			? null
			: selectItemSummaries(db).where('i.id', '=', row.parent_id).executeTakeFirst(),
		selectItemSummaries(db)
			.where('i.parent_id', '=', id)
			.where('i.retired_at', 'is', null)
			.orderBy('i.position')
			.execute(),
		selectItemSummaries(db)
			.innerJoin('item_related as rel', 'rel.related_id', 'i.id')
			.select('rel.score')
			.where('rel.item_id', '=', id)
			.where('i.retired_at', 'is', null)
			.orderBy('rel.score', 'desc')
			.orderBy('i.id')
			.execute()
	]);
	const themeKeys = themes.map((t) => t.theme);
	const own = links.get(id);

	return {
		...toItemSummary(row),
		summary_ja: row.summary_ja,
		quote: row.quote,
		horizon: row.horizon,
		kpi: row.kpi,
		modality: row.modality,
		page: row.page === null ? null : Number(row.page),
		retired_at: row.retired_at,
		publisher_ja: row.publisher_ja,
		publisher_en: row.publisher_en,
		sectionPath,
		parent: parent ? toItemSummary(parent) : null,
		children: toItemSummaries(children),
		themes: themeKeys,
		actors: actors.map((a) => ({ actor: a.actor, stated: a.stated === 1 })),
		addresses: own?.out.addresses ?? [],
		addressedBy: own?.in.addresses ?? [],
		restates: own?.out.restates ?? [],
		restatedBy: own?.in.restates ?? [],
		sameTheme: await Promise.all(
			themeKeys.map((theme) => sameThemeElsewhere(db, row.report_slug, theme, themeKeys))
		),
		related: related.map((r) => ({ ...toItemSummary(r), score: r.score }))
	};
}

/** The section and its ancestors, outermost first. */
async function sectionAncestry(db: Db, sectionId: string): Promise<SectionRef[]> {
	const path: SectionRef[] = [];
	const seen = new Set<string>();
	for (let id: string | null = sectionId; id !== null && !seen.has(id);) {
		seen.add(id);
		const s = await db
			.selectFrom('report_sections')
			.select(['id', 'parent_id', 'number', 'title_ja', 'title_en'])
			.where('id', '=', id)
			.executeTakeFirst();
		if (!s) break;
		path.unshift({ id: s.id, number: s.number, title_ja: s.title_ja, title_en: s.title_en });
		id = s.parent_id;
	}
	return path;
}

/**
 * Published items on `theme` in reports other than `reportSlug`: from each report, the few that
 * share most of the item's themes (the likeliest counterparts), then in reading order — so every
 * other report is represented, not only the one with most items on the theme.
 */
async function sameThemeElsewhere(
	db: Db,
	reportSlug: string,
	theme: ThemeKey,
	itemThemes: ThemeKey[]
): Promise<{ theme: ThemeKey; total: number; items: ItemSummary[] }> {
	const rows = await selectItemSummaries(db)
		.innerJoin('item_themes as t', 't.item_id', 'i.id')
		.select((eb) =>
			eb
				.selectFrom('item_themes as shared')
				.select(eb.fn.countAll<number>().as('n'))
				.whereRef('shared.item_id', '=', 'i.id')
				.where('shared.theme', 'in', itemThemes)
				.as('shared')
		)
		.where('t.theme', '=', theme)
		.where('i.report_slug', '!=', reportSlug)
		.where('i.retired_at', 'is', null)
		.orderBy('shared', 'desc')
		.orderBy('r.date', 'desc')
		.orderBy('i.position')
		.execute();
	const perReport = new Map<string, number>();
	const picked = rows.filter((row) => {
		const n = perReport.get(row.report_slug) ?? 0;
		perReport.set(row.report_slug, n + 1);
		return n < SAME_THEME_PER_REPORT;
	});
	return { theme, total: rows.length, items: toItemSummaries(picked) };
}
