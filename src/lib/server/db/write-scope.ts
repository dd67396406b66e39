import { AsyncLocalStorage } from 'node:async_hooks';
import type { Kysely, Transaction } from 'kysely';
import type { WriteScope } from './locks';

/**
 * How a transaction tells the PostgreSQL driver (postgres.ts) which locks to take at BEGIN
 * (locks.ts): Kysely's transaction builder carries no such setting, so the scope rides on the
 * async context of the one `execute` call, and is cleared again inside the transaction's body so
 * that a transaction started from there (on another connection) is not scoped by accident.
 * On SQLite the scope changes nothing: BEGIN IMMEDIATE already runs transactions one at a time.
 */
const scopes = new AsyncLocalStorage<WriteScope>();

/** The scope of the transaction being begun, or undefined (the exclusive default). */
export function currentWriteScope(): WriteScope | undefined {
	return scopes.getStore();
}

/** `db.transaction().execute(fn)` under a narrower write lock than the whole database. */
export function scopedTransaction<DB, T>(
	db: Kysely<DB>,
	scope: WriteScope,
	fn: (trx: Transaction<DB>) => Promise<T>
): Promise<T> {
	return scopes.run(scope, () => db.transaction().execute((trx) => scopes.exit(() => fn(trx))));
}
