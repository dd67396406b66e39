import pg from 'pg';
import { crc32 } from 'node:zlib';
import { BOARD_LOCK_NAMESPACE } from '../db/locks';
import type { Db } from '../db/connect';
import { pgClientConfig, type PgHandle } from '../db/postgres';
import type { AppendRow, Compaction, LogCommitter } from './log-writer';
import { verifyStoredDoc, type LogReader, type StoredDoc } from './store';
import { readStoredRows } from './stored-rows';

/** The database's clock in milliseconds: beats are compared on one clock, not N machines'. */
const DB_NOW_MS = '(extract(epoch from clock_timestamp()) * 1000)::bigint';

/**
 * A process row belongs to the live backend with its pid only if that backend had started by
 * the row's last beat: pids are reused, and a row left by a dead backend must never get a new,
 * innocent connection (or a new owner) terminated. (`a`: pg_stat_activity, `p`: the row.)
 */
const SAME_BACKEND = `a.backend_start <= to_timestamp(p.beat_at / 1000.0) + interval '1 millisecond'`;

/** Who holds a board's lock: a backend, and the process behind it if it has beaten. */
export interface BoardOwner {
	backendPid: number;
	processId: string | null;
	address: string | null;
	/** Milliseconds since its last beat (null: no row). */
	silentMs: number | null;
}

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
	/** Every statement on the connection, one after another: nothing runs inside a commit. */
	private queue: Promise<unknown> = Promise.resolve();
	private beat: NodeJS.Timeout | null = null;

	constructor(
		private readonly db: Db,
		private readonly handle: PgHandle,
		/** This process: its id, and where the others relay sockets to it (null: nowhere). */
		private readonly self: { processId: string; address: string | null } = {
			processId: 'single',
			address: null
		},
		/** Told when the connection (and with it every board lock) was lost. */
		private readonly onLost: () => void = () => undefined
	) {}

	/** Opens the connection now and, every `beatMs`, says this process is alive (collab_processes). */
	start(beatMs = 2_000): void {
		void this.connection().catch(() => undefined);
		this.beat ??= setInterval(() => void this.heartbeat().catch(() => undefined), beatMs);
		this.beat.unref();
	}

	/** Runs `fn` on the connection once everything queued before it is done. */
	private serial<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
		const run = this.queue.then(async () => fn(await this.connection()));
		this.queue = run.catch(() => undefined);
		return run;
	}

	/** Records that this process is alive, through the connection that holds its board locks. */
	async heartbeat(): Promise<void> {
		await this.serial((c) =>
			c.query(
				`insert into collab_processes (backend_pid, process_id, address, beat_at)
				values (pg_backend_pid(), $1, $2, ${DB_NOW_MS})
				on conflict (backend_pid) do update set process_id = excluded.process_id,
					address = excluded.address, beat_at = excluded.beat_at`,
				[this.self.processId, this.self.address]
			)
		);
	}

	/** Whether this connection holds the board's lock (it loaded the board, or claimed it). */
	owns(boardId: string): boolean {
		return this.owned.has(boardId);
	}

	/** Takes the board's lock if it is free; true if this process now owns the board. */
	async claim(boardId: string): Promise<boolean> {
		if (this.owned.has(boardId)) return true;
		const ok = await this.serial(async (client) => {
			const { rows } = await client.query<{ ok: boolean }>(
				'select pg_try_advisory_lock($1, hashtext($2)) as ok',
				[BOARD_LOCK_NAMESPACE, boardId]
			);
			return rows[0]?.ok === true;
		});
		if (ok) this.owned.add(boardId);
		return ok;
	}

	/**
	 * Who holds the board's lock now, from pg_locks (the lock is the truth; the process table
	 * only says where to reach it and when it last beat). Null: nobody.
	 */
	async owner(boardId: string): Promise<BoardOwner | null> {
		const { rows } = await this.handle.pool.query<{
			pid: number;
			process_id: string | null;
			address: string | null;
			silent: number | null;
		}>(
			`select l.pid, p.process_id, p.address, ${DB_NOW_MS} - p.beat_at as silent
			from pg_locks l
			left join pg_stat_activity a on a.pid = l.pid
			left join collab_processes p on p.backend_pid = l.pid and ${SAME_BACKEND}
			where l.locktype = 'advisory' and l.granted and l.objsubid = 2
				and l.database = (select oid from pg_database where datname = current_database())
				and l.classid = $1 and l.objid = (hashtext($2)::bigint & 4294967295)::text::oid
			limit 1`,
			[BOARD_LOCK_NAMESPACE, boardId]
		);
		const r = rows[0];
		if (!r) return null;
		return {
			backendPid: r.pid,
			processId: r.process_id,
			address: r.address,
			silentMs: r.silent
		};
	}

	/**
	 * Ends the database sessions of hung processes — silent for `hungMs` while their backend is
	 * still there — so their board locks are freed and they can commit nothing more; forgets
	 * rows of backends that are gone. Returns the pids terminated.
	 */
	async terminateHung(hungMs: number): Promise<number[]> {
		const { rows } = await this.handle.pool.query<{ pid: number }>(
			`select p.backend_pid as pid from collab_processes p
			join pg_stat_activity a on a.pid = p.backend_pid and ${SAME_BACKEND}
			where ${DB_NOW_MS} - p.beat_at > $1 and p.process_id <> $2`,
			[hungMs, this.self.processId]
		);
		for (const { pid } of rows)
			await this.handle.pool.query('select pg_terminate_backend($1)', [pid]);
		await this.handle.pool.query(
			`delete from collab_processes p where not exists
			(select 1 from pg_stat_activity a where a.pid = p.backend_pid)`
		);
		return rows.map((r) => r.pid);
	}

	/**
	 * Which of these database backends are still running (a relay checks its owners'). A pid
	 * PostgreSQL reused for a new backend at once would pass for the old one: the relay is then
	 * only cut when its client gives up on it.
	 */
	async liveBackends(pids: number[]): Promise<Set<number>> {
		const { rows } = await this.handle.pool.query<{ pid: number }>(
			'select pid from pg_stat_activity where pid = any($1::int[])',
			[pids]
		);
		return new Set(rows.map((r) => r.pid));
	}

	exclusive<T>(fn: () => Promise<T>): Promise<T> {
		// PostgreSQL's MVCC keeps an app transaction and a log commit apart; nothing to hold.
		return fn();
	}

	async read(boardId: string): Promise<StoredDoc> {
		if (!(await this.claim(boardId))) throw new BoardOwnedElsewhere(boardId);
		return this.readCommitted(boardId);
	}

	/**
	 * The board's committed rows, without owning it: what another process has acknowledged (it
	 * acknowledges only after commit), for reading a board this process does not serve.
	 */
	async readCommitted(boardId: string): Promise<StoredDoc> {
		return verifyStoredDoc({ boardId, ...(await readStoredRows(this.db, boardId)) });
	}

	release(boardId: string): void {
		if (!this.owned.delete(boardId) || !this.client) return;
		this.serial((c) =>
			c.query('select pg_advisory_unlock($1, hashtext($2))', [BOARD_LOCK_NAMESPACE, boardId])
		).catch(() => undefined);
	}

	/**
	 * Atomically: the rows (one multi-row insert), then each compaction (snapshot upsert and
	 * deleting the rows it covers), so a crash keeps either the old rows or the new snapshot.
	 * Resolves once PostgreSQL has committed (durably: postgres.ts checks the settings at start).
	 */
	commit(rows: AppendRow[], compactions: Compaction[], at: number): Promise<void> {
		return this.serial((client) => this.commitOn(client, rows, compactions, at));
	}

	private async commitOn(
		client: pg.Client,
		rows: AppendRow[],
		compactions: Compaction[],
		at: number
	): Promise<void> {
		// A board whose lock went with a lost connection is no longer this process's to write.
		const lost = [...rows, ...compactions].find((r) => !this.owned.has(r.boardId));
		if (lost) throw new Error(`lost the ownership of board ${lost.boardId}`);
		// The usual group commit only appends: one statement, atomic and durable on its own, is one
		// round trip to PostgreSQL instead of three (begin, insert, commit). Under CPU contention
		// each round trip waits for the scheduler, and acknowledgements wait for all of them.
		if (compactions.length === 0) {
			if (rows.length > 0) await this.append(client, rows, at);
			return;
		}
		try {
			await client.query('begin');
			if (rows.length > 0) await this.append(client, rows, at);
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

	/** The rows as one multi-row insert. */
	private async append(client: pg.Client, rows: AppendRow[], at: number): Promise<void> {
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
	}

	async close(): Promise<void> {
		if (this.beat) clearInterval(this.beat);
		this.beat = null;
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
			// keepAlive: a connection that died silently must be noticed (its locks are gone).
			const client = new pg.Client({
				...pgClientConfig(this.handle.url, this.handle.options),
				application_name: 'yoriai-board-log',
				keepAlive: true
			});
			const lost = () => {
				// The session and every board lock with it are gone: nothing more may be committed
				// as their owner. Loaded boards fail their next commit and are reloaded (DUR-10);
				// the realtime server closes them at once (onLost), so their clients reconnect.
				if (this.client !== client) return;
				this.client = null;
				const hadBoards = this.owned.size > 0;
				this.owned.clear();
				if (hadBoards) this.onLost();
			};
			client.on('error', lost);
			client.on('end', lost);
			try {
				await client.connect();
			} catch (e) {
				this.connecting = null;
				throw e;
			}
			this.client = client;
			this.connecting = null;
			// Beat at once: a process that just (re)connected is alive, whatever its last row says.
			client
				.query(
					`insert into collab_processes (backend_pid, process_id, address, beat_at)
					values (pg_backend_pid(), $1, $2, ${DB_NOW_MS})
					on conflict (backend_pid) do update set process_id = excluded.process_id,
						address = excluded.address, beat_at = excluded.beat_at`,
					[this.self.processId, this.self.address]
				)
				.catch(() => undefined);
			return client;
		})();
		return this.connecting;
	}
}
