import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { backupName, BackupInvalidError, type BackupResult } from './sqlite';

/**
 * Backups of a PostgreSQL instance with PostgreSQL's own tools: `pg_dump --format=custom` (one
 * compressed file, restorable table by table) for the backup, `pg_restore` to read it back and to
 * restore. The dump is consistent by construction — pg_dump reads one snapshot — and its row
 * counts come from that same snapshot: we open a REPEATABLE READ transaction, export its snapshot,
 * count every table in it and hand the snapshot to pg_dump (`--snapshot`), so the counts recorded
 * for a backup are exactly what is in it even while people edit.
 *
 * The URL's password is passed in PGPASSWORD, not on the command line where `ps` would show it.
 */

export const PG_BACKUP_SUFFIX = '.dump';
const PARTIAL = '.partial';
const run = promisify(execFile);

/** pg_dump/pg_restore arguments and environment for `url`, the password kept off argv. */
function connection(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
	const u = new URL(url);
	const password = decodeURIComponent(u.password);
	u.password = '';
	return {
		dbname: u.toString(),
		env: {
			...process.env,
			...(password ? { PGPASSWORD: password } : {}),
			PGAPPNAME: 'yoriai-backup'
		}
	};
}

/** The tool's own words when it fails (its stderr), not Node's "Command failed: …" with argv. */
async function tool(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
	try {
		const { stdout } = await run(command, args, { env, maxBuffer: 64 * 1024 * 1024 });
		return stdout;
	} catch (e) {
		const err = e as NodeJS.ErrnoException & { stderr?: string };
		if (err.code === 'ENOENT')
			throw new Error(
				`${command} is not installed: install PostgreSQL's client tools (Debian: postgresql-client)`,
				{ cause: e }
			);
		throw new Error(`${command} failed: ${(err.stderr ?? err.message).trim().slice(0, 400)}`, {
			cause: e
		});
	}
}

async function publicTables(client: pg.ClientBase): Promise<string[]> {
	const { rows } = await client.query<{ name: string }>(
		"select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name"
	);
	return rows.map((r) => r.name);
}

async function countRows(client: pg.ClientBase, tables: string[]): Promise<Record<string, number>> {
	const counts: Record<string, number> = {};
	for (const t of tables) {
		const { rows } = await client.query<{ n: string }>(
			`select count(*) as n from "${t.replaceAll('"', '""')}"`
		);
		counts[t] = Number(rows[0]?.n ?? 0);
	}
	return counts;
}

/**
 * Reads a dump's table of contents back (`pg_restore --list`): it must open, hold the migrations
 * table (it is a Yoriai database) and the data of every table in `expected`.
 */
export async function verifyPgBackup(file: string, expected: string[] = []): Promise<string[]> {
	if (!existsSync(file)) throw new BackupInvalidError(file, 'no such file');
	let list: string;
	try {
		list = await tool('pg_restore', ['--list', file], process.env);
	} catch (e) {
		throw new BackupInvalidError(file, (e as Error).message);
	}
	// "3385; 0 16404 TABLE DATA public users postgres"
	const withData = [...list.matchAll(/^\d+; \d+ \d+ TABLE DATA public (\S+) /gmu)].map(
		(m) => m[1] ?? ''
	);
	if (!withData.includes('kysely_migration'))
		throw new BackupInvalidError(file, 'no migrations table');
	const missing = expected.filter((t) => !withData.includes(t));
	if (missing.length) throw new BackupInvalidError(file, `no data for ${missing.join(', ')}`);
	return withData;
}

/** A dump of the database at `url` into `dir`, named by time, verified before it gets its name. */
export async function backupPostgres(
	url: string,
	dir: string,
	opts: { now?: () => number } = {}
): Promise<BackupResult> {
	const started = Date.now();
	const target = resolve(dir);
	mkdirSync(target, { recursive: true });
	const name = backupName((opts.now ?? Date.now)(), PG_BACKUP_SUFFIX);
	const partial = join(target, name + PARTIAL);
	const final = join(target, name);
	if (existsSync(final)) throw new Error(`${final} already exists`);
	const { dbname, env } = connection(url);
	const client = new pg.Client({ connectionString: url, application_name: 'yoriai-backup' });
	await client.connect();
	try {
		await client.query('begin isolation level repeatable read read only');
		const { rows } = await client.query<{ id: string }>('select pg_export_snapshot() as id');
		const snapshot = rows[0]?.id;
		if (!snapshot) throw new Error('PostgreSQL exported no snapshot');
		const tables = await publicTables(client);
		const counts = await countRows(client, tables);
		// The transaction stays open until pg_dump has taken the snapshot (it does so at start).
		await tool(
			'pg_dump',
			['--format=custom', `--snapshot=${snapshot}`, `--file=${partial}`, `--dbname=${dbname}`],
			env
		);
		await client.query('commit');
		await verifyPgBackup(partial, tables);
		renameSync(partial, final);
		return { file: final, bytes: statSync(final).size, ms: Date.now() - started, counts };
	} catch (e) {
		if (existsSync(partial)) unlinkSync(partial);
		throw e;
	} finally {
		await client.end().catch(() => undefined);
	}
}

export class TargetNotEmptyError extends Error {
	constructor(tables: number) {
		super(
			`the target database already has ${tables} table(s): restore only into an empty database (createdb -T template0 --lc-ctype=C.UTF-8 <name>), then point DATABASE_URL at it`
		);
		this.name = 'TargetNotEmptyError';
	}
}

/**
 * Restores a dump into the EMPTY database at `url` in one transaction (all or nothing). An empty
 * target is also what keeps a running instance safe: a server migrates its database at start, so
 * a database any server uses is never empty.
 */
export async function restorePostgres(
	file: string,
	url: string
): Promise<{ counts: Record<string, number> }> {
	const source = resolve(file);
	if (source.endsWith(PARTIAL)) throw new BackupInvalidError(source, 'an unfinished backup');
	await verifyPgBackup(source);
	const client = new pg.Client({ connectionString: url, application_name: 'yoriai-restore' });
	await client.connect();
	try {
		const existing = await publicTables(client);
		if (existing.length) throw new TargetNotEmptyError(existing.length);
		const { dbname, env } = connection(url);
		await tool(
			'pg_restore',
			[
				'--no-owner',
				'--no-privileges',
				'--single-transaction',
				'--exit-on-error',
				`--dbname=${dbname}`,
				source
			],
			env
		);
		return { counts: await countRows(client, await publicTables(client)) };
	} finally {
		await client.end().catch(() => undefined);
	}
}
