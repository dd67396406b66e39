import { sql } from 'kysely';
import type { CandidateItem } from '../../domain/board/narrow';
import type { BoardSource } from '../../domain/board/template';
import type { Db } from '../db/connect';
import { inSourceOrder, sourceItems } from './source-items';
import { textAgg } from '../db/sql-functions';

/** One item a template offers, with what the chooser list shows about it. */
export interface Candidate extends CandidateItem {
	titleJa: string;
	titleEn: string;
}

/** A section as the chooser's groups and section filter label it. */
export interface SectionInfo {
	id: string;
	number: string | null;
	titleJa: string;
	titleEn: string;
}

/**
 * Every live item a source offers, of every kind, in report reading order (a hand-picked
 * selection keeps its picked order), with its themes and the sections they sit in. Narrowing
 * (narrow.ts) then works on this list alone, for the preview and for the create action alike.
 */
export async function candidateItems(
	db: Db,
	source: BoardSource
): Promise<{ items: Candidate[]; sections: Record<string, SectionInfo> }> {
	const rows = inSourceOrder(
		await sourceItems(db, source)
			.select([
				'i.id',
				'i.kind',
				'i.title_ja',
				'i.title_en',
				'i.report_slug',
				'i.section_id',
				's.number as section_number',
				's.title_ja as section_title_ja',
				's.title_en as section_title_en',
				sql<
					string | null
				>`(select ${textAgg(db, sql<string>`t.theme`, ' ')} from item_themes t where t.item_id = i.id)`.as(
					'themes'
				)
			])
			.orderBy('r.date')
			.orderBy('i.position')
			.execute(),
		source
	);
	const sections: Record<string, SectionInfo> = {};
	const items = rows.map((r): Candidate => {
		sections[r.section_id] ??= {
			id: r.section_id,
			number: r.section_number,
			titleJa: r.section_title_ja,
			titleEn: r.section_title_en
		};
		return {
			id: r.id,
			kind: r.kind,
			reportSlug: r.report_slug,
			sectionId: r.section_id,
			themes: r.themes ? r.themes.split(' ') : [],
			titleJa: r.title_ja,
			titleEn: r.title_en
		};
	});
	return { items, sections };
}
