import { sql, type Expression, type SqlBool } from 'kysely';
import { highlight, isShortWord, searchTerms } from '../../domain/library/highlight';
import type { ReportRef, SearchHit, SearchResults } from '../../domain/library/library-types';
import type { SearchFilters } from '../../domain/library/search-query';
import type { Db } from '../db/connect';
import { selectItemSummaries, toItemSummary } from './item-summary';

/**
 * The trigram tokenizer indexes every run of three characters, so a term of one or two
 * characters (量子, AI, 5G) cannot be looked up in the index. Such terms are matched over the
 * same folded columns without it — a scan, but of about a thousand short rows: with LIKE (\, %
 * and _ escaped, so they match literally), or, for one or two ASCII letters or digits, with GLOB
 * as a whole word (highlight.ts isShortWord says why).
 */
const TRIGRAM = 3;

/** Weights for bm25(): a hit in the title counts five times one in the body (item_id is unindexed). */
const BM25_WEIGHTS = sql`0, 5.0, 1.0`;

export interface Page {
	limit: number;
	offset: number;
}

/**
 * Searches the published items. Every term of `q` must occur (in either title, the summary, the
 * quote or the KPI); the other filters narrow further. Results come best first — by bm25 when a
 * term is long enough for the index, else titles that contain every term first — then newest
 * report first and in reading order. Each hit carries its fields split into marked segments.
 */
export async function search(db: Db, filters: SearchFilters, page: Page): Promise<SearchResults> {
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
					.$if(indexed.length > 0, (qb) => qb.where(ftsMatch(indexed)))
					.$if(short.length > 0, (qb) => qb.where((eb) => eb.and(short.map(likeAnyColumn))));

	const ordered =
		indexed.length > 0
			? matched.orderBy(sql`bm25(items_fts, ${BM25_WEIGHTS})`)
			: short.length > 0
				? matched.orderBy(sql`(${sql.join(short.map(likeTitle), sql` and `)})`, 'desc')
				: matched;
	const rows = await ordered
		.select(['i.summary_ja', 'i.quote'])
		.orderBy('r.date', 'desc')
		.orderBy('i.report_slug')
		.orderBy('i.position')
		.limit(page.limit)
		.offset(page.offset)
		.execute();

	// A page that is not full holds the last hits, so it tells the total without counting.
	const total =
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

/**
 * An FTS5 query in which every term is one quoted string (a quote inside doubled), so that
 * nothing the user types is read as FTS5 syntax (AND, OR, NEAR, *, ^, column filters).
 */
export function ftsQuery(terms: readonly string[]): string {
	return terms.map((t) => `"${t.replaceAll('"', '""')}"`).join(' ');
}

function ftsMatch(terms: readonly string[]): Expression<SqlBool> {
	return sql<SqlBool>`items_fts match ${ftsQuery(terms)}`;
}

/** A LIKE pattern matching `term` literally anywhere: \, % and _ are escaped with \. */
export function likePattern(term: string): string {
	return `%${term.replace(/[\\%_]/gu, (c) => `\\${c}`)}%`;
}

/**
 * A GLOB pattern matching a short ASCII word (isShortWord) with no ASCII letter or digit on
 * either side, for text padded with a space at both ends. The word needs no escaping: it is
 * [a-z0-9] only, and the columns are folded to lower case, so GLOB's case-sensitivity is moot.
 */
export function wordGlob(word: string): string {
	return `*[^a-z0-9]${word}[^a-z0-9]*`;
}

function shortTermIn(column: 'title' | 'body', term: string): Expression<SqlBool> {
	const col = column === 'title' ? sql`items_fts.title` : sql`items_fts.body`;
	const like = sql<SqlBool>`${col} like ${likePattern(term)} escape '\\'`;
	// LIKE first: it is cheap and rules out most rows before the costlier GLOB runs.
	return isShortWord(term)
		? sql<SqlBool>`(${like} and (' ' || ${col} || ' ') glob ${wordGlob(term)})`
		: like;
}

function likeAnyColumn(term: string): Expression<SqlBool> {
	return sql<SqlBool>`(${shortTermIn('title', term)} or ${shortTermIn('body', term)})`;
}

function likeTitle(term: string): Expression<SqlBool> {
	return shortTermIn('title', term);
}
