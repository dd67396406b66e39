/**
 * Locks, the one place where the two databases differ in how writers are kept apart, and the one
 * place that lists every PostgreSQL advisory-lock key Yoriai uses.
 *
 * SQLite: every transaction starts with BEGIN IMMEDIATE (connect.ts), taking the database's one
 * write lock up front. Nothing here applies.
 *
 * PostgreSQL: every transaction first takes advisory transaction locks (held until commit or
 * rollback) chosen by its write scope (write-scope.ts):
 *
 * - Unscoped — every transaction unless it says otherwise — takes the transaction lock
 *   EXCLUSIVELY: it runs alone, as on SQLite. That is the guarantee the domain code was written
 *   and tested against (the first account becoming administrator, a close racing ballots, a
 *   phase change, a member removed), and it stays the default: a transaction is only let out of
 *   it when what it checks is known to be guarded by a narrower key.
 * - Ballot scope (votes/ballots.ts) takes the transaction lock SHARED plus an exclusive lock on
 *   (session, voter). A ballot's transaction reads the session, the voter's role and the board's
 *   phase, and reads-then-writes only that voter's own ballot. So two ballots of different voters
 *   cannot break each other's invariant (the budget is per ballot; "one ballot per voter" is the
 *   voter's key, and the unique index behind it), and may run at once; two of the same voter
 *   (50 parallel "one more dot" posts) still queue on their key; and anything that changes what
 *   a ballot checks (closing or revealing the session, the phase, membership, deleting a board
 *   or an account) is unscoped, so it waits for the ballots in flight and they wait for it.
 *   READ COMMITTED is enough under the lock: each statement after it sees every commit made
 *   before the lock was granted.
 *
 *   Measured with the votes benchmark (1,000 ballots at once through a pool of 10): the one
 *   exclusive lock made every ballot wait for the whole round trip sequence of the one before
 *   it (BEGIN, lock, five reads and writes, COMMIT with its fsync) — README "Running on
 *   PostgreSQL" has the figures before and after.
 *
 * Locks are always taken in the order listed below (transaction lock, then narrower keys), and an
 * unscoped transaction takes no narrower key, so advisory locks alone cannot deadlock.
 *
 * Key space (PostgreSQL advisory locks; a one-bigint key and a two-int4 key never collide):
 *
 * | key                                  | kind                | held by                                   |
 * |--------------------------------------|---------------------|-------------------------------------------|
 * | bigint 0x596f7269 ("Yori")           | transaction, X or S | every app transaction (above)             |
 * | (0x42640000 "Bd", hashtext(board))   | session             | the process owning a board's realtime log |
 * | (0x42640001..0x4264ffff)             | —                   | reserved for realtime/collab (issue 15)   |
 * | (0x426c0000 "Bl", hashtext(s:voter)) | transaction, X      | a ballot's transaction                    |
 * | (0x50720000 "Pr", 1)                 | session             | migrations + library seed at start-up     |
 *
 * New uses take a new namespace (the first int4) here; the test helpers' own lock
 * (tests/helpers/db.ts, bigint 7355608) only ever runs against test databases.
 *
 * A hash collision between two keys of one namespace only makes two unrelated transactions
 * queue, never lets two conflicting ones overlap.
 */
const TRANSACTION_LOCK_KEY = 0x596f7269; // "Yori"

/** Namespace of the per-(session, voter) ballot lock (two-int4 advisory key). */
export const BALLOT_LOCK_NAMESPACE = 0x426c0000; // "Bl"

/**
 * The session advisory lock through which one process owns a board's realtime log on
 * PostgreSQL (collab/pg-board-log.ts): two int4 keys, the namespace and a hash of the board id.
 */
export const BOARD_LOCK_NAMESPACE = 0x42640000; // "Bd"

/** What a transaction declares it reads and writes, for a narrower lock than the whole database. */
export type WriteScope = {
	kind: 'ballot';
	/** The vote session's id. */
	sessionId: number;
	/** The voter's user id. */
	userId: number;
};

/** The exclusive transaction lock: the transaction runs alone. */
export const TRANSACTION_LOCK_SQL = `select pg_advisory_xact_lock(${TRANSACTION_LOCK_KEY})`;

/**
 * The statement that takes a PostgreSQL transaction's locks, right after BEGIN. Both keys of a
 * scope in one statement, and no bind parameters (the key's text is built from two integers), so
 * the driver can send it with BEGIN as one simple-protocol query: a scope costs no round trip,
 * and neither does the lock. PostgreSQL evaluates a select list left to right, so the transaction
 * lock is taken first.
 */
export function transactionLockSql(scope: WriteScope | undefined): string {
	if (!scope) return TRANSACTION_LOCK_SQL;
	const { sessionId, userId } = scope;
	if (!Number.isSafeInteger(sessionId) || !Number.isSafeInteger(userId))
		throw new Error(`ballot lock for a non-integer id (${sessionId}, ${userId})`);
	return (
		`select pg_advisory_xact_lock_shared(${TRANSACTION_LOCK_KEY}), ` +
		`pg_advisory_xact_lock(${BALLOT_LOCK_NAMESPACE}, hashtext('${sessionId}:${userId}'))`
	);
}

/** Namespace of the locks that coordinate processes (two-int4 advisory key). */
export const PROCESS_LOCK_NAMESPACE = 0x50720000; // "Pr": coordination between processes

/** Held while one process migrates the database and seeds the library (db/startup-lock.ts). */
export const STARTUP_LOCK_KEY = 1;
