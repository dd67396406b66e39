import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * For the few migrations whose raw SQL differs between SQLite and PostgreSQL (full-text search,
 * triggers). Everything said with Kysely's schema builder is translated for PostgreSQL by the
 * migration runner (src/lib/server/db/portable-schema.ts) and needs no such branch.
 */
export function isPostgres(db: Kysely<any>): boolean {
	return db.getExecutor().adapter instanceof PostgresAdapter;
}

/**
 * A BEFORE UPDATE trigger refusing every change to `table`'s rows with `message` — SQLite's
 * `raise(abort, …)`, or on PostgreSQL a PL/pgSQL function raising an exception.
 */
export async function appendOnlyTrigger(
	db: Kysely<any>,
	name: string,
	table: string,
	message: string
): Promise<void> {
	// The names and the message are the calling migration's constants, never input.
	/* eslint-disable no-restricted-syntax */
	if (isPostgres(db)) {
		await sql`create or replace function yoriai_append_only() returns trigger
			language plpgsql as $$ begin raise exception '%', tg_argv[0]; end $$`.execute(db);
		await sql`create trigger ${sql.id(name)} before update on ${sql.table(table)}
			for each row execute function yoriai_append_only(${sql.lit(message)})`.execute(db);
		return;
	}
	await sql`create trigger ${sql.id(name)} before update on ${sql.table(table)}
		begin select raise(abort, ${sql.lit(message)}); end`.execute(db);
	/* eslint-enable no-restricted-syntax */
}
