import { sql, type Expression, type SqlBool } from 'kysely';
import { highlight, isShortWord, searchTerms } from '../../domain/library/highlight';
import type { ReportRef, SearchHit, SearchResults } from '../../domain/library/library-types';
import type { SearchFilters } from '../../domain/library/search-query';
import type { Db } from '../db/connect';
import { selectItemSummaries, toItemSummary } from './item-summary';
import { likeIn, searchDialect } from './search-dialect';

/**
 * The trigram index (FTS5's tokenizer on SQLite, pg_trgm on PostgreSQL: search-dialect.ts) indexes every run of three characters, so a term of one or two
 * characters (量子, AI, 5G) cannot be looked up in the index. Such terms are matched over the
 * same folded columns without it — a scan, but of about a thousand short rows: with LIKE (\, %
 * and _ escaped, so they match literally), or, for one or two ASCII letters or digits, as a
 * whole word (highlight.ts isShortWord says why).
 */
const TRIGRAM = 3;

export interface Page {
	limit: number;
	offset: number;
}

/**
 * Searches the published items. Every term of `q` must occur (in either title, the summary, the
 * quote or the KPI); the other filters narrow further. Results come best first — by bm25 (or its PostgreSQL stand-in) when a
 * term is long enough for the index, else titles that contain every term first — then newest
 * report first and in reading order. Each hit carries its fields split into marked segments.
 */
export async function search(db: Db, filters: SearchFilters, page: Page): Promise<SearchResults> {
	const dialect = searchDialect(db);
	const shortTermIn = (column: 'title' | 'body', term: string): Expression<SqlBool> => {
		const col = column === 'title' ? sql<string>`items_fts.title` : sql<string>`items_fts.body`;
		const like = likeIn(col, term);
		// LIKE first: it is cheap and rules out most rows before the costlier whole-word test.
		return isShortWord(term) ? sql<SqlBool>`(${like} and ${dialect.wholeWord(col, term)})` : like;
	};
	const likeAnyColumn = (term: string): Expression<SqlBool> =>
		sql<SqlBool>`(${shortTermIn('title', term)} or ${shortTermIn('body', term)})`;
	const likeTitle = (term: string): Expression<SqlBool> => shortTermIn('title', term);
	const terms = searchTerms(filters.q);
	const indexed = terms.filter((t) => [...t].length >= TRIGRAM);
	const short = terms.filter((t) => [...t].length < TRIGRAM);

	const { report, kind, horizon, theme, actor } = filters;
	let base = selectItemSummaries(db).where('i.retired_at', 'is', null);
	if (report !== undefined) base = base.where('i.report_slug', '=', report);
	if (kind !== undefined) base = base.where('i.kind', '=', kind);
	if (horizon !== undefined) base = base.where('i.horizon', '=', horizon);
	if (theme !== undefined)
		base = base.where(({ exists, selectFrom }) =>
			exists(
				selectFrom('item_themes as ft')
					.select('ft.item_id')
					.whereRef('ft.item_id', '=', 'i.id')
					.where('ft.theme', '=', theme)
			)
		);
	if (actor !== undefined)
		base = base.where(({ exists, selectFrom }) =>
			exists(
				selectFrom('item_actors as fa')
					.select('fa.item_id')
					.whereRef('fa.item_id', '=', 'i.id')
					.where('fa.actor', '=', actor)
			)
		);

	const matched =
		terms.length === 0
			? base
			: base
					.innerJoin('items_fts', 'items_fts.item_id', 'i.id')
					.$if(indexed.length > 0, (qb) => qb.where(dialect.indexedMatch(indexed)))
					.$if(short.length > 0, (qb) => qb.where((eb) => eb.and(short.map(likeAnyColumn))));

	const ordered =
		indexed.length > 0
			? matched.orderBy(dialect.rank(indexed))
			: short.length > 0
				? matched.orderBy(sql`(${sql.join(short.map(likeTitle), sql` and `)})`, 'desc')
				: matched;
	// Where the dialect can, the total comes with the page (a window count over every match,
	// computed before LIMIT): on PostgreSQL a second COUNT query repeated the whole match as one
	// more round trip (tests/bench/library.bench.ts).
	const rows = await ordered
		.select(['i.summary_ja', 'i.quote'])
		.$if(dialect.pageTotal !== null, (qb) => qb.select(dialect.pageTotal!.as('total')))
		.orderBy('r.date', 'desc')
		.orderBy('i.report_slug')
		.orderBy('i.position')
		.limit(page.limit)
		.offset(page.offset)
		.execute();

	const first = rows[0] as { total?: number } | undefined;
	const total =
		first?.total !== undefined
			? Number(first.total)
			: // A page that is not full holds the last hits, so it tells the total without counting.
				rows.length < page.limit && (rows.length > 0 || page.offset === 0)
				? page.offset + rows.length
				: (
						await matched
							.clearSelect()
							.select((eb) => eb.fn.countAll<number>().as('n'))
							.executeTakeFirstOrThrow()
					).n;

	const reports = new Map<string, ReportRef>();
	const hits: SearchHit[] = rows.map((row) => ({
		...toItemSummary(row, reports),
		segments: {
			title_ja: highlight(row.title_ja, terms),
			title_en: highlight(row.title_en, terms),
			summary_ja: highlight(row.summary_ja, terms),
			quote: highlight(row.quote, terms)
		}
	}));
	return { total, hits };
}

export { ftsQuery, likePattern, wordGlob } from './search-dialect';
