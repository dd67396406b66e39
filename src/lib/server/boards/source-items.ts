import type { BoardSource } from '../../domain/board/template';
import type { Db } from '../db/connect';

/**
 * The live items a board source offers — one report's, one theme's across every report, or a
 * hand-picked selection — joined with their report and section, ready for the caller's columns.
 * The chooser's candidates and the cards a board is seeded with both start here, so what the
 * preview counts is what creating the board takes.
 */
export function sourceItems(db: Db, source: BoardSource) {
	const q = db
		.selectFrom('items as i')
		.innerJoin('reports as r', 'r.slug', 'i.report_slug')
		.innerJoin('report_sections as s', 's.id', 'i.section_id')
		.where('i.retired_at', 'is', null);
	if (source.type === 'report') return q.where('i.report_slug', '=', source.slug);
	if (source.type === 'theme')
		return q.where((eb) =>
			eb.exists(
				eb
					.selectFrom('item_themes as t')
					.select('t.item_id')
					.whereRef('t.item_id', '=', 'i.id')
					.where('t.theme', '=', source.theme)
			)
		);
	return q.where('i.id', 'in', source.ids);
}

/** Rows in report reading order stay so; a hand-picked selection keeps the order it was picked in. */
export function inSourceOrder<R extends { id: string }>(rows: R[], source: BoardSource): R[] {
	if (source.type !== 'selection') return rows;
	const at = new Map(source.ids.map((id, i) => [id, i]));
	return rows.sort((a, b) => (at.get(a.id) ?? 0) - (at.get(b.id) ?? 0));
}
