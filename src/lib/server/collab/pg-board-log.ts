import pg from 'pg';
import { crc32 } from 'node:zlib';
import { BOARD_LOCK_NAMESPACE } from '../db/locks';
import type { Db } from '../db/connect';
import { pgClientConfig, type PgHandle } from '../db/postgres';
import type { AppendRow, Compaction, LogCommitter } from './log-writer';
import { verifyStoredDoc, type LogReader, type StoredDoc, type StoredRow } from './store';

/** Another process owns this board's log (it holds the board's advisory lock). */
export class BoardOwnedElsewhere extends Error {
	constructor(readonly boardId: string) {
		super(`board ${boardId} is served by another Yoriai process`);
	}
}

/**
 * The realtime log on PostgreSQL: the same tables as on SQLite (bytea blobs, each with its
 * CRC-32 in a bigint), written by the same group commit (registry.ts) on one dedicated
 * connection.
 *
 * No worker thread: on SQLite the commit's fsync blocks the thread that runs it, so it runs on a
 * worker; node-postgres sends the commit and waits for the server's answer without blocking the
 * event loop, and the fsync happens in the PostgreSQL server. One connection, with one commit in
 * flight at a time (the registry's drain loop), keeps each board's rows in seq order.
 *
 * Ownership: loading a board first takes a session advisory lock on the board through this same
 * connection, and unloading gives it back. While this process holds it no other process loads
 * the board; and since every commit goes through the session that holds the lock, a commit that
 * succeeds proves ownership — if the connection was lost the locks went with it and the commit
 * fails (and so is never acknowledged). The (board_id, seq) primary key stays the last defence.
 *
 * Reads go through the app's pool: nothing for a board is committed while it loads (there is no
 * room to apply anything to yet), and the rows read are verified like on SQLite (store.ts).
 */
export class PgBoardLog implements LogReader, LogCommitter {
	private client: pg.Client | null = null;
	private connecting: Promise<pg.Client> | null = null;
	/** Boards whose lock this connection holds. */
	private readonly owned = new Set<string>();

	constructor(
		private readonly db: Db,
		private readonly handle: PgHandle
	) {}

	start(): void {
		void this.connection().catch(() => undefined);
	}

	exclusive<T>(fn: () => Promise<T>): Promise<T> {
		// PostgreSQL's MVCC keeps an app transaction and a log commit apart; nothing to hold.
		return fn();
	}

	async read(boardId: string): Promise<StoredDoc> {
		if (!this.owned.has(boardId)) {
			const client = await this.connection();
			const { rows } = await client.query<{ ok: boolean }>(
				'select pg_try_advisory_lock($1, hashtext($2)) as ok',
				[BOARD_LOCK_NAMESPACE, boardId]
			);
			if (!rows[0]?.ok) throw new BoardOwnedElsewhere(boardId);
			this.owned.add(boardId);
		}
		const snapshot =
			(await this.db
				.selectFrom('collab_snapshots')
				.select(['seq', 'data', 'crc'])
				.where('board_id', '=', boardId)
				.executeTakeFirst()) ?? null;
		const log = await this.db
			.selectFrom('collab_updates')
			.select(['seq', 'data', 'crc'])
			.where('board_id', '=', boardId)
			.where('seq', '>', snapshot?.seq ?? 0)
			.orderBy('seq')
			.execute();
		return verifyStoredDoc({ boardId, snapshot: snapshot as StoredRow | null, log });
	}

	release(boardId: string): void {
		if (!this.owned.delete(boardId) || !this.client) return;
		this.client
			.query('select pg_advisory_unlock($1, hashtext($2))', [BOARD_LOCK_NAMESPACE, boardId])
			.catch(() => undefined);
	}

	/**
	 * One transaction: the rows (one multi-row insert), then each compaction (snapshot upsert and
	 * deleting the rows it covers), so a crash keeps either the old rows or the new snapshot.
	 * Resolves once PostgreSQL has committed (durably: postgres.ts checks the settings at start).
	 */
	async commit(rows: AppendRow[], compactions: Compaction[], at: number): Promise<void> {
		const client = await this.connection();
		// A board whose lock went with a lost connection is no longer this process's to write.
		const lost = [...rows, ...compactions].find((r) => !this.owned.has(r.boardId));
		if (lost) throw new Error(`lost the ownership of board ${lost.boardId}`);
		try {
			await client.query('begin');
			if (rows.length > 0)
				await client.query(
					`insert into collab_updates (board_id, seq, data, crc, created_at)
					select b, s, d, c, $5 from unnest($1::text[], $2::bigint[], $3::bytea[], $4::bigint[]) as r(b, s, d, c)`,
					[
						rows.map((r) => r.boardId),
						rows.map((r) => r.seq),
						rows.map((r) => Buffer.from(r.data.buffer, r.data.byteOffset, r.data.byteLength)),
						rows.map((r) => crc32(r.data)),
						at
					]
				);
			for (const c of compactions) {
				await client.query(
					`insert into collab_snapshots (board_id, seq, data, crc, updated_at) values ($1, $2, $3, $4, $5)
					on conflict (board_id) do update set seq = excluded.seq, data = excluded.data,
						crc = excluded.crc, updated_at = excluded.updated_at`,
					[c.boardId, c.seq, Buffer.from(c.snapshot), crc32(c.snapshot), at]
				);
				await client.query('delete from collab_updates where board_id = $1 and seq <= $2', [
					c.boardId,
					c.seq
				]);
			}
			await client.query('commit');
		} catch (e) {
			await client.query('rollback').catch(() => undefined);
			throw e;
		}
	}

	async close(): Promise<void> {
		const client = this.client ?? (await this.connecting?.catch(() => null));
		this.client = null;
		this.connecting = null;
		this.owned.clear();
		await client?.end().catch(() => undefined);
	}

	/** The dedicated connection, opened on first use and again after it was lost. */
	private connection(): Promise<pg.Client> {
		if (this.client) return Promise.resolve(this.client);
		this.connecting ??= (async () => {
			const client = new pg.Client(pgClientConfig(this.handle.url, this.handle.options));
			client.on('error', () => {
				// The session and every board lock with it are gone: nothing more may be committed
				// as their owner. Loaded boards fail their next commit and are reloaded (DUR-10).
				if (this.client === client) this.client = null;
				this.owned.clear();
			});
			try {
				await client.connect();
			} catch (e) {
				this.connecting = null;
				throw e;
			}
			this.client = client;
			this.connecting = null;
			return client;
		})();
		return this.connecting;
	}
}
