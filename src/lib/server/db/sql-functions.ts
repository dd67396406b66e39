import { sql, type Expression, type RawBuilder } from 'kysely';
import { dialectOf, type AnyKysely } from './dialect';

/**
 * Joins a text column's values over a group with `separator`: SQLite's group_concat,
 * PostgreSQL's string_agg. Neither promises an order, and no caller needs one.
 */
export function textAgg(
	db: AnyKysely,
	value: Expression<string>,
	separator: string
): RawBuilder<string | null> {
	return dialectOf(db) === 'postgres'
		? sql<string | null>`string_agg(${value}, ${separator})`
		: sql<string | null>`group_concat(${value}, ${separator})`;
}
