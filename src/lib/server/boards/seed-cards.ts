import type { Provenance, SeedCard } from '../../domain/board/doc';
import { LIMITS } from '../../domain/board/limits';
import type { SeedTemplate } from '../../domain/board/template';
import type { Db } from '../db/connect';
import { inSourceOrder, sourceItems } from './source-items';

/**
 * The cards a template seeds a board with, in report reading order, each carrying its provenance
 * (report, item id, section as printed, verbatim quote) so every later edit, vote, decision and
 * export can trace it back. Retired items are never seeded. `truncated` says the template matched
 * more items than one board takes.
 */
export async function seedCardsFor(
	db: Db,
	template: SeedTemplate
): Promise<{ cards: SeedCard[]; truncated: boolean }> {
	let q = sourceItems(db, template).select([
		'i.id',
		'i.kind',
		'i.title_ja',
		'i.title_en',
		'i.summary_ja',
		'i.quote',
		'i.section_id',
		's.number as section_number',
		's.title_ja as section_title',
		'r.slug as report_slug',
		'r.title_ja as report_title'
	]);
	if (template.type !== 'selection') q = q.where('i.kind', 'in', template.kinds);
	const rows = inSourceOrder(
		await q
			.orderBy('r.date')
			.orderBy('i.position')
			.limit(LIMITS.seedItems + 1)
			.execute(),
		template
	);
	const truncated = rows.length > LIMITS.seedItems;
	const cards = rows.slice(0, LIMITS.seedItems).map((r): SeedCard => {
		const source: Provenance = {
			reportSlug: r.report_slug,
			reportTitle: r.report_title,
			itemId: r.id,
			kind: r.kind,
			sectionId: r.section_id,
			sectionLabel: [r.section_number, r.section_title].filter(Boolean).join(' '),
			quote: r.quote
		};
		return {
			title: r.title_ja,
			titleEn: r.title_en,
			note: r.summary_ja,
			kind: r.kind,
			sources: [source]
		};
	});
	return { cards, truncated };
}
