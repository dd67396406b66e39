import type { ItemSummary, LinkedItem } from '../../domain/library/library-types';
import type { LinkType } from '../../domain/library/seed-schema';
import type { Db } from '../db/connect';
import { selectItemSummaries, toItemSummaries } from './item-summary';

export interface LinksOf {
	/** Links from the item to others, by type. */
	out: Record<LinkType, LinkedItem[]>;
	/** Links from others to the item, by type. */
	in: Record<LinkType, LinkedItem[]>;
}

const empty = (): Record<LinkType, LinkedItem[]> => ({ addresses: [], restates: [] });

/**
 * The links of the given items in both directions, keyed by item id, each side resolved to the
 * other item's summary in the order the curator listed the links. Links to or from retired items
 * are kept only when `includeRetired` (an item's own page shows them, marked; lists do not).
 */
export async function linksOf(
	db: Db,
	ids: readonly string[],
	{ includeRetired }: { includeRetired: boolean }
): Promise<Map<string, LinksOf>> {
	const result = new Map<string, LinksOf>();
	if (ids.length === 0) return result;
	for (const id of ids) result.set(id, { out: empty(), in: empty() });

	const links = await db
		.selectFrom('item_links')
		.selectAll()
		.where((eb) => eb.or([eb('item_id', 'in', ids), eb('target_id', 'in', ids)]))
		.orderBy('item_id')
		.orderBy('position')
		.execute();
	const otherIds = [...new Set(links.flatMap((l) => [l.item_id, l.target_id]))];
	const summaries = new Map<string, ItemSummary>(
		toItemSummaries(await selectItemSummaries(db).where('i.id', 'in', otherIds).execute()).map(
			(s) => [s.id, s]
		)
	);
	for (const link of links) {
		const from = summaries.get(link.item_id);
		const to = summaries.get(link.target_id);
		if (!from || !to) continue;
		if (!includeRetired && (from.retired || to.retired)) continue;
		result.get(link.item_id)?.out[link.type].push({ ...to, basis: link.basis });
		result.get(link.target_id)?.in[link.type].push({ ...from, basis: link.basis });
	}
	return result;
}
