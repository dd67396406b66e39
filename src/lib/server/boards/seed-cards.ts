import type { Provenance, SeedCard } from '../../domain/board/doc';
import { LIMITS } from '../../domain/board/limits';
import type { SeedTemplate } from '../../domain/board/template';
import type { Db } from '../db/connect';

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
	let q = db
		.selectFrom('items as i')
		.innerJoin('reports as r', 'r.slug', 'i.report_slug')
		.innerJoin('report_sections as s', 's.id', 'i.section_id')
		.select([
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
		])
		.where('i.retired_at', 'is', null);
	if (template.type === 'report') {
		q = q.where('i.report_slug', '=', template.slug).where('i.kind', 'in', template.kinds);
	} else if (template.type === 'theme') {
		q = q
			.where('i.kind', 'in', template.kinds)
			.where((eb) =>
				eb.exists(
					eb
						.selectFrom('item_themes as t')
						.select('t.item_id')
						.whereRef('t.item_id', '=', 'i.id')
						.where('t.theme', '=', template.theme)
				)
			);
	} else {
		q = q.where('i.id', 'in', template.ids);
	}
	const rows = await q
		.orderBy('r.date')
		.orderBy('i.position')
		.limit(LIMITS.seedItems + 1)
		.execute();
	if (template.type === 'selection') {
		// A hand-picked selection keeps the order it was picked in.
		const at = new Map(template.ids.map((id, i) => [id, i]));
		rows.sort((a, b) => (at.get(a.id) ?? 0) - (at.get(b.id) ?? 0));
	}
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
