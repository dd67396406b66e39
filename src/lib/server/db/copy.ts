/* eslint-disable no-restricted-syntax -- every table and column name here comes from the
   databases' own catalogues (sqlite_master, information_schema), never from input. */
import type SQLite from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import * as Y from 'yjs';
import { materialize, verifyStoredDoc, type StoredRow } from '../collab/store';
import type { SqliteHandle } from './connect';
import { migrateToLatest } from './migrate';
import type { PgHandle } from './postgres';
import type { Database } from './schema';

/** What was copied, per table, and how many boards were reopened and compared. */
export interface CopyReport {
	tables: { name: string; rows: number; checksum: string }[];
	boards: number;
}

export class CopyRefused extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'CopyRefused';
	}
}

/** PostgreSQL takes at most 65535 bound parameters per statement; batches stay well below. */
const MAX_PARAMS = 30_000;

/**
 * Copies a whole SQLite instance into an empty PostgreSQL database (`npm run db:copy`), in one
 * transaction on the target: the schema is migrated, every table copied in dependency order, the
 * identity sequences moved past the copied ids, and before committing every table's row count
 * and content checksum compared with the source's and every board's stored document reopened on
 * both sides and compared. Any difference rolls everything back. A target that already holds
 * any row is refused: nothing is merged.
 *
 * The source must not change meanwhile: the command holds its process lock (no server runs).
 */
export async function copyInstance(
	from: SqliteHandle,
	to: PgHandle,
	log: (line: string) => void = () => undefined
): Promise<CopyReport> {
	await migrateToLatest(from.db);
	await migrateToLatest(to.db);
	const tables = copyOrder(from.sqlite);
	return to.db.transaction().execute(async (trx) => {
		for (const t of tables) {
			const { rows } = await sql<{
				n: number;
			}>`select count(*) as n from ${sql.table(t.name)}`.execute(trx);
			if (rows[0]!.n > 0)
				throw new CopyRefused(
					`the target database is not empty (table ${t.name} has ${rows[0]!.n} rows): ` +
						'db:copy only copies into an empty database'
				);
		}
		const report: CopyReport = { tables: [], boards: 0 };
		for (const t of tables) {
			const n = await copyTable(from.sqlite, trx, t);
			log(`  ${t.name}: ${n} rows`);
		}
		await moveIdentities(trx);
		for (const t of tables) {
			const source = tableChecksum(from.sqlite, t.name);
			const target = await pgTableChecksum(trx, t.name);
			if (source.rows !== target.rows || source.checksum !== target.checksum)
				throw new Error(
					`verification failed for ${t.name}: source ${source.rows} rows (${source.checksum.slice(0, 12)}), ` +
						`target ${target.rows} rows (${target.checksum.slice(0, 12)})`
				);
			report.tables.push({ name: t.name, ...source });
		}
		report.boards = await compareBoards(from.sqlite, trx);
		log(`  ${report.boards} boards reopened on both databases: identical`);
		return report;
	});
}

interface TableInfo {
	name: string;
	columns: string[];
}

/**
 * The source's tables (Yoriai's, not Kysely's bookkeeping nor FTS5's shadow tables), parents
 * before children by their foreign keys. A table referring to itself (report sections, items,
 * boards in a series) is copied in its insertion order (rowid), in which every row came after
 * the one it refers to; the items' own references are deferred to the commit anyway.
 */
export function copyOrder(sqlite: SQLite.Database): TableInfo[] {
	const names = (
		sqlite
			.prepare(
				"select name from sqlite_master where type = 'table' and name not like 'sqlite_%' " +
					"and name not like 'kysely_%' and name not like 'items_fts_%' order by name"
			)
			.all() as { name: string }[]
	).map((r) => r.name);
	const deps = new Map<string, Set<string>>();
	for (const name of names) {
		const fks = sqlite.pragma(`foreign_key_list(${quote(name)})`) as { table: string }[];
		deps.set(name, new Set(fks.map((f) => f.table).filter((t) => t !== name)));
	}
	const ordered: string[] = [];
	const visit = (name: string, path: Set<string>) => {
		if (ordered.includes(name)) return;
		if (path.has(name)) throw new Error(`foreign keys form a cycle through ${name}`);
		path.add(name);
		for (const d of deps.get(name) ?? []) visit(d, path);
		path.delete(name);
		ordered.push(name);
	};
	for (const name of names) visit(name, new Set());
	return ordered.map((name) => ({
		name,
		columns: (sqlite.pragma(`table_info(${quote(name)})`) as { name: string }[]).map((c) => c.name)
	}));
}

function quote(name: string): string {
	return `"${name.replaceAll('"', '""')}"`;
}

/** Rows in the order they were inserted where SQLite keeps one (rowid), else by primary key. */
function sourceRows(sqlite: SQLite.Database, t: TableInfo): IterableIterator<unknown[]> {
	const hasRowid = !(
		sqlite.prepare('select sql from sqlite_master where name = ?').get(t.name) as { sql: string }
	).sql
		.toLowerCase()
		.includes('without rowid');
	const cols = t.columns.map(quote).join(', ');
	const order = hasRowid ? ' order by rowid' : '';
	return sqlite
		.prepare(`select ${cols} from ${quote(t.name)}${order}`)
		.raw()
		.iterate() as IterableIterator<unknown[]>;
}

async function copyTable(
	sqlite: SQLite.Database,
	trx: Kysely<Database>,
	t: TableInfo
): Promise<number> {
	const perBatch = Math.max(1, Math.floor(MAX_PARAMS / t.columns.length));
	let batch: Record<string, unknown>[] = [];
	let n = 0;
	const flush = async () => {
		if (batch.length === 0) return;
		// Table and columns come from the source's own catalogue, as copyOrder read them.
		await (trx as unknown as Kysely<Record<string, Record<string, unknown>>>)
			.insertInto(t.name)
			.values(batch)
			.execute();
		n += batch.length;
		batch = [];
	};
	for (const row of sourceRows(sqlite, t)) {
		batch.push(Object.fromEntries(t.columns.map((c, i) => [c, row[i]])));
		if (batch.length >= perBatch) await flush();
	}
	await flush();
	return n;
}

/** Identity columns continue after the copied ids, so the next account or vote gets a new one. */
async function moveIdentities(trx: Kysely<Database>): Promise<void> {
	const { rows } = await sql<{ table_name: string; column_name: string }>`
		select table_name, column_name from information_schema.columns
		where table_schema = current_schema() and is_identity = 'YES'`.execute(trx);
	for (const r of rows)
		await sql`select setval(pg_get_serial_sequence(${r.table_name}, ${r.column_name}),
			coalesce((select max(${sql.ref(r.column_name)}) from ${sql.table(r.table_name)}), 0) + 1, false)`.execute(
			trx
		);
}

/**
 * A table's content as one digest, independent of row order and of how each database returns a
 * value: every row becomes the hash of its values in canonical form (null, number, text, bytes),
 * and the table's checksum is the hash of the sorted row hashes.
 */
function digest(rows: Iterable<unknown[]>): { rows: number; checksum: string } {
	const hashes: string[] = [];
	for (const row of rows) {
		const h = createHash('sha256');
		for (const v of row) {
			if (v === null || v === undefined) h.update('\u0000n');
			else if (typeof v === 'number' || typeof v === 'bigint') h.update(`\u0000i${String(v)}`);
			else if (v instanceof Uint8Array) h.update('\u0000b').update(v);
			else h.update(`\u0000t${String(v)}`);
		}
		hashes.push(h.digest('hex'));
	}
	hashes.sort();
	const all = createHash('sha256');
	for (const h of hashes) all.update(h);
	return { rows: hashes.length, checksum: all.digest('hex') };
}

function tableChecksum(sqlite: SQLite.Database, name: string): { rows: number; checksum: string } {
	const columns = (sqlite.pragma(`table_info(${quote(name)})`) as { name: string }[])
		.map((c) => c.name)
		.sort();
	return digest(
		sqlite
			.prepare(`select ${columns.map(quote).join(', ')} from ${quote(name)}`)
			.raw()
			.iterate() as IterableIterator<unknown[]>
	);
}

async function pgTableChecksum(
	trx: Kysely<Database>,
	name: string
): Promise<{ rows: number; checksum: string }> {
	const { rows: cols } = await sql<{ column_name: string }>`
		select column_name from information_schema.columns
		where table_schema = current_schema() and table_name = ${name}`.execute(trx);
	const columns = cols.map((c) => c.column_name).sort();
	const { rows } = await sql<Record<string, unknown>>`select ${sql.join(
		columns.map((c) => sql.ref(c))
	)} from ${sql.table(name)}`.execute(trx);
	return digest(rows.map((r) => columns.map((c) => r[c])));
}

/** Every board's document loaded from each side's snapshot and log: byte-identical states. */
async function compareBoards(sqlite: SQLite.Database, trx: Kysely<Database>): Promise<number> {
	const boards = sqlite.prepare('select id from boards order by id').all() as { id: string }[];
	const snap = sqlite.prepare('select seq, data, crc from collab_snapshots where board_id = ?');
	const upd = sqlite.prepare(
		'select seq, data, crc from collab_updates where board_id = ? order by seq'
	);
	for (const { id } of boards) {
		const a = materialize(
			verifyStoredDoc({
				boardId: id,
				snapshot: (snap.get(id) as StoredRow | undefined) ?? null,
				log: upd.all(id) as StoredRow[]
			})
		);
		const b = materialize(
			verifyStoredDoc({
				boardId: id,
				snapshot:
					(await trx
						.selectFrom('collab_snapshots')
						.select(['seq', 'data', 'crc'])
						.where('board_id', '=', id)
						.executeTakeFirst()) ?? null,
				log: await trx
					.selectFrom('collab_updates')
					.select(['seq', 'data', 'crc'])
					.where('board_id', '=', id)
					.orderBy('seq')
					.execute()
			})
		);
		try {
			const same =
				a.nextSeq === b.nextSeq &&
				Buffer.from(Y.encodeStateAsUpdate(a.doc)).equals(Buffer.from(Y.encodeStateAsUpdate(b.doc)));
			if (!same) throw new Error(`verification failed: board ${id} differs after the copy`);
		} finally {
			a.doc.destroy();
			b.doc.destroy();
		}
	}
	return boards.length;
}
