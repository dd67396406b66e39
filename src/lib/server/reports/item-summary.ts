import type { ItemSummary, ReportRef } from '../../domain/library/library-types';
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

/**
 * `reports` shares one report object among the summaries of one query: page data is serialised
 * with devalue, which writes a shared object once, so a list of 386 items does not repeat its
 * report's titles 386 times.
 */
export function toItemSummary(
	row: ItemSummaryRow,
	reports: Map<string, ReportRef> = new Map()
): ItemSummary {
	let report = reports.get(row.report_slug);
	if (!report) {
		report = {
			slug: row.report_slug,
			title_ja: row.report_title_ja,
			title_en: row.report_title_en
		};
		reports.set(row.report_slug, report);
	}
	return {
		id: row.id,
		kind: row.kind,
		subkind: row.subkind,
		title_ja: row.title_ja,
		title_en: row.title_en,
		retired: row.retired_at !== null,
		report
	};
}

/** toItemSummary over a list, sharing report objects. */
export function toItemSummaries(rows: readonly ItemSummaryRow[]): ItemSummary[] {
	const reports = new Map<string, ReportRef>();
	return rows.map((row) => toItemSummary(row, reports));
}
