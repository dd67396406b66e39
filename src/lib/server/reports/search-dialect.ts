import { sql, type Expression, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { Database } from '../db/schema';
import { dialectOf, type AnyKysely } from '../db/dialect';

/**
 * What library search says differently on each database; search.ts builds everything else once.
 * Both search the same table, items_fts(item_id, title, body), holding folded text.
 *
 * - SQLite: an FTS5 table with the trigram tokenizer, matched with MATCH and ranked by bm25.
 * - PostgreSQL: a plain table with pg_trgm GIN indexes on title and body, which serve
 *   `LIKE '%term%'` for terms of three characters or more — the same substring semantics as the
 *   trigram tokenizer. Ranked by where the terms occur, weighted as bm25 is here (a title hit
 *   counts five times a body hit); results are the same rows, the order within equal weights
 *   may differ from bm25's.
 */
export interface SearchDialect {
	/** Every term (three characters or more) occurs in the title or the body. */
	indexedMatch(terms: readonly string[]): Expression<SqlBool>;
	/** The ORDER BY expression for indexed terms, best first when ascending. */
	rank(terms: readonly string[]): Expression<unknown>;
	/**
	 * `word` ([a-z0-9]{1,2}, see highlight.ts isShortWord) occurs in `column` with no ASCII letter
	 * or digit on either side.
	 */
	wholeWord(column: Expression<string>, word: string): Expression<SqlBool>;
	/**
	 * A column giving every row of a page the number of all matches, or null to count apart.
	 * PostgreSQL: a window count, so a search is one round trip instead of two. SQLite: null —
	 * bm25() cannot be used in a query with a window function, and a second statement on the
	 * in-process connection costs no round trip.
	 */
	pageTotal: RawBuilder<number> | null;
}

/** Weights for bm25(): a hit in the title counts five times one in the body (item_id is unindexed). */
const BM25_WEIGHTS = sql`0, 5.0, 1.0`;

const TITLE = sql<string>`items_fts.title`;
const BODY = sql<string>`items_fts.body`;

const sqlite: SearchDialect = {
	indexedMatch: (terms) => sql<SqlBool>`items_fts match ${ftsQuery(terms)}`,
	rank: () => sql`bm25(items_fts, ${BM25_WEIGHTS})`,
	wholeWord: (col, word) => sql<SqlBool>`(' ' || ${col} || ' ') glob ${wordGlob(word)}`,
	pageTotal: null
};

const postgres: SearchDialect = {
	indexedMatch: (terms) =>
		sql<SqlBool>`(${sql.join(
			terms.map((t) => sql`(${likeIn(TITLE, t)} or ${likeIn(BODY, t)})`),
			sql` and `
		)})`,
	// Negated so that ascending order is best first, as bm25's scores are.
	rank: (terms) =>
		sql`-(${sql.join(
			terms.map(
				(t) =>
					sql`(case when ${likeIn(TITLE, t)} then 5 else 0 end + case when ${likeIn(BODY, t)} then 1 else 0 end)`
			),
			sql` + `
		)})`,
	wholeWord: (col, word) => sql<SqlBool>`(' ' || ${col} || ' ') ~ ${wordRegex(word)}`,
	pageTotal: sql<number>`count(*) over ()`
};

/**
 * After the seed changed the library, in one statement outside its transaction. PostgreSQL:
 * VACUUM ANALYZE moves the rows a bulk insert left in the GIN indexes' pending list into the
 * index proper (until then every trigram lookup scans that list too: about 1 ms per index for
 * the 1,087 seeded items) and gives the planner statistics for the new rows, so searches get
 * their settled plans now rather than whenever autovacuum comes by — which, in the library
 * benchmark, was in the middle of the timed rounds. SQLite: nothing (FTS5 is current at commit).
 */
export async function refreshSearchIndex(db: Kysely<Database>): Promise<void> {
	if (dialectOf(db) !== 'postgres') return;
	await sql`vacuum (analyze) items_fts, items, item_themes, item_actors, reports`.execute(db);
}

export function searchDialect(db: AnyKysely): SearchDialect {
	return dialectOf(db) === 'postgres' ? postgres : sqlite;
}

/** `column` contains `term` literally (LIKE with \, % and _ escaped). */
export function likeIn(column: Expression<string>, term: string): Expression<SqlBool> {
	return sql<SqlBool>`${column} like ${likePattern(term)} escape '\\'`;
}

/**
 * An FTS5 query in which every term is one quoted string (a quote inside doubled), so that
 * nothing the user types is read as FTS5 syntax (AND, OR, NEAR, *, ^, column filters).
 */
export function ftsQuery(terms: readonly string[]): string {
	return terms.map((t) => `"${t.replaceAll('"', '""')}"`).join(' ');
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

/** The same as wordGlob for PostgreSQL's `~` (a search, so no leading or trailing wildcard). */
export function wordRegex(word: string): string {
	return `[^a-z0-9]${word}[^a-z0-9]`;
}
