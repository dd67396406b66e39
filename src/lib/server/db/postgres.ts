import pg from 'pg';
import { CompiledQuery, Kysely, PostgresDialect, PostgresDriver, type Driver } from 'kysely';
import { EmptyInPlugin } from './empty-in';
import { transactionLockSql } from './locks';
import { currentWriteScope } from './write-scope';
import type { Database } from './schema';
import { logger } from '../log/logger';

export interface PgOptions {
	/** Connections in the pool (DATABASE_POOL_SIZE). */
	poolSize: number;
	/** Any statement running longer is cancelled (DATABASE_STATEMENT_TIMEOUT_MS); 0 = none. */
	statementTimeoutMs: number;
	/** How long to keep retrying the first connection while the server starts (DATABASE_CONNECT_RETRY_MS). */
	connectRetryMs: number;
}

export const PG_DEFAULTS: PgOptions = {
	poolSize: 10,
	statementTimeoutMs: 30_000,
	connectRetryMs: 30_000
};

/**
 * PostgreSQL returns int8 (OID 20: bigint columns and every COUNT(*)) and numeric (OID 1700: the
 * SUM of bigints) as strings, because they may exceed a JavaScript number. Yoriai's bigints are
 * millisecond times, CRC-32 values, ids and counts, all far below 2^53; a value that is not a
 * safe integer would be a bug, so it fails loudly instead of rounding.
 */
export const pgTypes = {
	getTypeParser(oid: number, format?: 'text' | 'binary') {
		if (oid === 20) return parseSafeInteger;
		if (oid === 1700) return Number;
		return format === 'binary'
			? pg.types.getTypeParser(oid, 'binary')
			: pg.types.getTypeParser(oid, 'text');
	}
} as pg.CustomTypesConfig;

function parseSafeInteger(text: string): number {
	const n = Number(text);
	if (!Number.isSafeInteger(n))
		throw new Error(`bigint ${text} is beyond a safe JavaScript integer`);
	return n;
}

/** Connection settings every Yoriai connection to PostgreSQL uses (the app's pool and the log writer). */
export function pgClientConfig(url: string, options: PgOptions): pg.ClientConfig {
	return {
		connectionString: url,
		types: pgTypes,
		application_name: 'yoriai',
		...(options.statementTimeoutMs > 0 ? { statement_timeout: options.statementTimeoutMs } : {})
	};
}

export interface PgHandle {
	dialect: 'postgres';
	db: Kysely<Database>;
	pool: pg.Pool;
	url: string;
	options: PgOptions;
}

/**
 * Opens a pool on the PostgreSQL database at `url`, waiting for the server to come up (a
 * container or service starting beside Yoriai) for up to `connectRetryMs`, then checks that the
 * database is fit for Yoriai (checkPgDatabase). Throws a DatabaseSetupError saying what to do.
 */
export async function createPgDb(url: string, options: PgOptions = PG_DEFAULTS): Promise<PgHandle> {
	await waitForServer(url, options);
	const handle = pgDb(url, options);
	const { db } = handle;
	try {
		await checkPgDatabase(db, url);
	} catch (e) {
		await db.destroy();
		throw e;
	}
	return handle;
}

/**
 * The pool and Kysely on it, without waiting or checking (createPgDb does both): for tools and
 * tests that open a database a server already checked.
 */
export function pgDb(url: string, options: PgOptions = PG_DEFAULTS): PgHandle {
	const pool = new pg.Pool({ ...pgClientConfig(url, options), max: options.poolSize });
	// An idle client losing its connection (a server restart) must not crash the process; the
	// pool drops it and the next query opens another.
	pool.on('error', (e) => logger.error({ err: e }, 'db: idle PostgreSQL connection lost'));
	const db = new Kysely<Database>({
		dialect: new LockingPostgresDialect({ pool }),
		plugins: [new EmptyInPlugin()]
	});
	return { dialect: 'postgres', db, pool, url, options };
}

/** Something about the database Yoriai refuses to run on; the message says how to fix it. */
export class DatabaseSetupError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'DatabaseSetupError';
	}
}

async function waitForServer(url: string, options: PgOptions): Promise<void> {
	const deadline = Date.now() + options.connectRetryMs;
	for (let attempt = 1; ; attempt++) {
		const client = new pg.Client(pgClientConfig(url, options));
		try {
			await client.connect();
			await client.end();
			return;
		} catch (e) {
			await client.end().catch(() => undefined);
			const code = (e as { code?: string }).code;
			// Only "not up yet" is worth waiting for; a wrong password or a missing database is not.
			const transient =
				code === 'ECONNREFUSED' || code === '57P03' || code === 'ENOTFOUND' || code === 'ETIMEDOUT';
			if (!transient || Date.now() >= deadline)
				throw new DatabaseSetupError(
					`cannot connect to PostgreSQL at ${redact(url)} (${(e as Error).message}` +
						`${transient ? `; retried for ${options.connectRetryMs} ms` : ''})`
				);
			if (attempt === 1) logger.info({ url: redact(url) }, 'db: waiting for PostgreSQL');
			await new Promise((r) => setTimeout(r, Math.min(1000, 100 * attempt)));
		}
	}
}

/** The URL without its password, for messages and logs. */
export function redact(url: string): string {
	try {
		const u = new URL(url);
		if (u.password) u.password = '***';
		return u.toString();
	} catch {
		return '(unparsable DATABASE_URL)';
	}
}

/**
 * DUR-01 on PostgreSQL: the settings that make a commit durable must be on, as SQLite's
 * synchronous=FULL is checked. And the database's LC_CTYPE must be UTF-8: with ctype C, pg_trgm
 * finds no trigrams in Japanese text and library search would silently find nothing.
 */
export async function checkPgDatabase(db: Kysely<Database>, url: string): Promise<void> {
	const { rows } = await db.executeQuery<{
		ctype: string;
		db: string;
		fsync: string;
		synchronous_commit: string;
		full_page_writes: string;
	}>(
		CompiledQuery.raw(
			`select datctype as ctype, current_database() as db,
				current_setting('fsync') as fsync,
				current_setting('synchronous_commit') as synchronous_commit,
				current_setting('full_page_writes') as full_page_writes
			from pg_database where datname = current_database()`
		)
	);
	const s = rows[0];
	if (!s) throw new DatabaseSetupError('cannot read the database settings');
	if (!/utf-?8/iu.test(s.ctype))
		throw new DatabaseSetupError(
			`the PostgreSQL database ${s.db} has LC_CTYPE=${s.ctype}; Yoriai needs a UTF-8 ctype ` +
				'(Japanese search finds nothing otherwise). Create the database with: ' +
				`createdb -T template0 --lc-ctype=C.UTF-8 ${s.db}`
		);
	const weak = (['fsync', 'synchronous_commit', 'full_page_writes'] as const).filter(
		(k) => s[k] !== 'on' && !(k === 'synchronous_commit' && s[k] === 'remote_apply')
	);
	if (weak.length > 0)
		throw new DatabaseSetupError(
			`PostgreSQL at ${redact(url)} runs with ${weak.map((k) => `${k}=${s[k]}`).join(', ')}: ` +
				'an acknowledged edit or vote could be lost in a crash. Set them to on (postgresql.conf).'
		);
}

/**
 * Transactions on PostgreSQL take their advisory transaction locks first (locks.ts): by default
 * one exclusive lock, so they run one at a time as SQLite's BEGIN IMMEDIATE makes them and every
 * read-then-write in a transaction (the first account becoming administrator, a close racing
 * ballots) keeps its invariant; a transaction begun through scopedTransaction (write-scope.ts)
 * takes that lock shared and a narrower key exclusively.
 */
class LockingPostgresDriver extends PostgresDriver {
	override async beginTransaction(
		...args: Parameters<PostgresDriver['beginTransaction']>
	): Promise<void> {
		const [connection, settings] = args;
		const lock = transactionLockSql(currentWriteScope());
		if (settings.isolationLevel || settings.accessMode) {
			await super.beginTransaction(...args);
			await connection.executeQuery(CompiledQuery.raw(lock));
			return;
		}
		// BEGIN and the lock in one round trip: a query without parameters goes by the simple
		// protocol, which takes several statements. Every transaction saves one round trip.
		await connection.executeQuery(CompiledQuery.raw(`begin; ${lock}`));
	}
}

class LockingPostgresDialect extends PostgresDialect {
	constructor(private readonly settings: ConstructorParameters<typeof PostgresDialect>[0]) {
		super(settings);
	}

	override createDriver(): Driver {
		return new LockingPostgresDriver(this.settings);
	}
}
