import type { ItemSummary } from '../../domain/library/library-types';
import type { Db } from '../db/connect';

/**
 * Items with what every list shows about them (library-types.ts ItemSummary), as a query to
 * narrow and order further. Tables are aliased `i` (items) and `r` (reports).
 */
export function selectItemSummaries(db: Db) {
	return db
		.selectFrom('items as i')
		.innerJoin('reports as r', 'r.slug', 'i.report_slug')
		.select([
			'i.id',
			'i.kind',
			'i.subkind',
			'i.title_ja',
			'i.title_en',
			'i.retired_at',
			'r.slug as report_slug',
			'r.title_ja as report_title_ja',
			'r.title_en as report_title_en'
		]);
}

export interface ItemSummaryRow {
	id: string;
	kind: ItemSummary['kind'];
	subkind: ItemSummary['subkind'];
	title_ja: string;
	title_en: string;
	retired_at: number | null;
	report_slug: string;
	report_title_ja: string;
	report_title_en: string;
}

export function toItemSummary(row: ItemSummaryRow): ItemSummary {
	return {
		id: row.id,
		kind: row.kind,
		subkind: row.subkind,
		title_ja: row.title_ja,
		title_en: row.title_en,
		retired: row.retired_at !== null,
		report: { slug: row.report_slug, title_ja: row.report_title_ja, title_en: row.report_title_en }
	};
}
