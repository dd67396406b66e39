/**
 * Locks, the one place where the two databases differ in how writers are kept apart.
 *
 * SQLite: every transaction starts with BEGIN IMMEDIATE (connect.ts), taking the database's one
 * write lock up front.
 *
 * PostgreSQL: every transaction first takes this advisory transaction lock, held until commit or
 * rollback. So Yoriai's transactions still run one at a time — the same guarantee the domain code
 * was written and tested against (a ballot checked against its budget, a close racing ballots,
 * the first account becoming administrator) — while plain reads and the realtime log, which needs
 * no such ordering (its rows are keyed by board and seq), run beside them. A finer scheme (row
 * locks per board) would let transactions of different boards overlap; measured, one Yoriai
 * transaction takes about a millisecond, so this one lock is not what limits throughput.
 */
const TRANSACTION_LOCK_KEY = 0x596f7269; // "Yori"

export const TRANSACTION_LOCK_SQL = `select pg_advisory_xact_lock(${TRANSACTION_LOCK_KEY})`;

/**
 * The session advisory lock through which one process owns a board's realtime log on
 * PostgreSQL (collab/pg-log-writer.ts): two int4 keys, the namespace and a hash of the board id.
 */
export const BOARD_LOCK_NAMESPACE = 0x42640000; // "Bd"

/**
 * Every advisory lock Yoriai takes on PostgreSQL, in one place so that no two uses collide.
 * PostgreSQL keeps the one-bigint form and the two-int4 form apart (pg_locks.objsubid 1 and 2),
 * so the transaction lock above cannot meet any of the two-key locks below.
 *
 * | form                   | key                                   | held by                        |
 * |------------------------|---------------------------------------|--------------------------------|
 * | bigint, transaction    | TRANSACTION_LOCK_KEY                  | every app transaction          |
 * | int4 pair, session     | (BOARD_LOCK_NAMESPACE, hashtext(id))  | the owner of a board's log     |
 * | int4 pair, session     | (PROCESS_LOCK_NAMESPACE, STARTUP)     | migrations + seed at start-up  |
 *
 * New uses take a new namespace (the first int4) here; the test helpers' own lock
 * (tests/helpers/db.ts, bigint 7355608) only ever runs against test databases.
 */
export const PROCESS_LOCK_NAMESPACE = 0x50720000; // "Pr": coordination between processes

/** Held while one process migrates the database and seeds the library (db/startup-lock.ts). */
export const STARTUP_LOCK_KEY = 1;
