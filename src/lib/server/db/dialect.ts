import { PostgresAdapter, type QueryExecutor } from 'kysely';

export type Dialect = 'sqlite' | 'postgres';

/** Any Kysely instance or transaction, whatever its tables. */
export interface AnyKysely {
	getExecutor(): QueryExecutor;
}

/**
 * Which database a Kysely instance (or a transaction on it) talks to. Only the named places that
 * must differ ask (reports/search-dialect.ts, db/sql-functions.ts, migrations/dialect.ts).
 */
export function dialectOf(db: AnyKysely): Dialect {
	return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}
