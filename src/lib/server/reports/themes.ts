import type { ThemeColumn } from '../../domain/library/library-types';
import type { ThemeKey } from '../../domain/library/vocabulary';
import type { Db } from '../db/connect';
import { selectItemSummaries, toItemSummaries } from './item-summary';
import { listReports } from './reports';

/**
 * Every published item on `theme`, one column per published report (in the library's order, a
 * report with none included so the gap shows), items in reading order.
 */
export async function itemsByTheme(db: Db, theme: ThemeKey): Promise<ThemeColumn[]> {
	const [reports, rows] = await Promise.all([
		listReports(db),
		selectItemSummaries(db)
			.innerJoin('item_themes as t', 't.item_id', 'i.id')
			.where('t.theme', '=', theme)
			.where('i.retired_at', 'is', null)
			.orderBy('i.position')
			.execute()
	]);
	const items = toItemSummaries(rows);
	return reports.map((r) => ({
		report: { slug: r.slug, title_ja: r.title_ja, title_en: r.title_en },
		items: items.filter((item) => item.report.slug === r.slug)
	}));
}
