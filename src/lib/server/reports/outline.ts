import type {
	OutlineItem,
	OutlineSection,
	ReportOutline,
	ReportRef
} from '../../domain/library/library-types';
import type { Db } from '../db/connect';
import { selectItemSummaries, toItemSummary } from './item-summary';
import { linksOf } from './links';
import { getReportOverview } from './reports';

/**
 * A published report's outline as a tree of sections, each with its published items in reading
 * order, and every issue ↔ proposal link visible from both ends. Null for an unknown report.
 */
export async function getReportOutline(db: Db, slug: string): Promise<ReportOutline | null> {
	const report = await getReportOverview(db, slug);
	if (!report) return null;

	const sectionRows = await db
		.selectFrom('report_sections')
		.select(['id', 'parent_id', 'number', 'title_ja', 'title_en'])
		.where('report_slug', '=', slug)
		.where('retired_at', 'is', null)
		.orderBy('position')
		.execute();
	const itemRows = await selectItemSummaries(db)
		.select('i.section_id')
		.where('i.report_slug', '=', slug)
		.where('i.retired_at', 'is', null)
		.orderBy('i.position')
		.execute();
	const links = await linksOf(
		db,
		itemRows.map((r) => r.id),
		{ includeRetired: false }
	);

	const sections = new Map<string, OutlineSection>(
		sectionRows.map((s) => [
			s.id,
			{
				id: s.id,
				number: s.number,
				title_ja: s.title_ja,
				title_en: s.title_en,
				items: [],
				children: []
			}
		])
	);
	const reports = new Map<string, ReportRef>();
	for (const row of itemRows) {
		const item: OutlineItem = {
			...toItemSummary(row, reports),
			addresses: links.get(row.id)?.out.addresses ?? [],
			addressedBy: links.get(row.id)?.in.addresses ?? []
		};
		sections.get(row.section_id)?.items.push(item);
	}
	const roots: OutlineSection[] = [];
	for (const s of sectionRows) {
		const node = sections.get(s.id);
		if (!node) continue;
		// A section whose parent is retired (or missing) is shown at the top level, not lost.
		const parent = s.parent_id === null ? undefined : sections.get(s.parent_id);
		(parent ? parent.children : roots).push(node);
	}
	return { report, sections: roots };
}
