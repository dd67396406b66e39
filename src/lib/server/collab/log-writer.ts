import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** One board's updates in a group commit, with the seq of the first. */
export interface AppendRow {
	boardId: string;
	seq: number;
	data: Uint8Array;
}

/** A new snapshot covering a board's log up to and including `seq`. */
export interface Compaction {
	boardId: string;
	seq: number;
	snapshot: Uint8Array;
}

/**
 * Appends to the update log on a worker thread with its own SQLite connection, so the fsync of
 * every commit (synchronous=FULL) waits there and the event loop keeps serving sockets. Measured
 * here, a single commit's fsync usually takes 0.2–1 ms but stalls for hundreds of milliseconds
 * when other work on the machine hits the disk; on the main thread such a stall froze every board.
 *
 * Each commit is one `BEGIN IMMEDIATE` transaction: the rows, then any compactions (snapshot
 * upsert + deleting the rows it covers), so a crash keeps either the old rows or the snapshot.
 * Every blob is stored with its CRC-32, which loading verifies (store.ts).
 *
 * A second connection must not commit in the middle of one of the app's Kysely transactions (a
 * deferred transaction that reads, then writes after another connection committed, fails with
 * SQLITE_BUSY_SNAPSHOT, which waiting cannot fix). The caller therefore holds Kysely's connection
 * lock for the duration of `commit` (see RoomRegistry), exactly as if the commit ran on the app's
 * own connection — only without blocking the event loop.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { crc32 } = require('node:zlib');
const SQLite = require(workerData.driver);
const db = new SQLite(workerData.path, { timeout: 5000 });
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('foreign_keys = ON');
if (db.pragma('synchronous', { simple: true }) !== 2) throw new Error('synchronous=FULL not applied');
const insert = db.prepare('insert into collab_updates (board_id, seq, data, crc, created_at) values (?, ?, ?, ?, ?)');
const upsert = db.prepare(
	'insert into collab_snapshots (board_id, seq, data, crc, updated_at) values (?, ?, ?, ?, ?) ' +
	'on conflict (board_id) do update set seq = excluded.seq, data = excluded.data, crc = excluded.crc, updated_at = excluded.updated_at'
);
const prune = db.prepare('delete from collab_updates where board_id = ? and seq <= ?');
const commit = db.transaction((rows, compactions, at) => {
	for (const r of rows) insert.run(r.boardId, r.seq, r.data, crc32(r.data), at);
	for (const c of compactions) {
		upsert.run(c.boardId, c.seq, c.snapshot, crc32(c.snapshot), at);
		prune.run(c.boardId, c.seq);
	}
});
parentPort.on('message', (m) => {
	if (m.close) {
		db.close();
		parentPort.postMessage({ id: m.id, ok: true });
		return;
	}
	try {
		commit.immediate(m.rows, m.compactions, m.at);
		parentPort.postMessage({ id: m.id, ok: true });
	} catch (e) {
		parentPort.postMessage({ id: m.id, ok: false, error: String(e && e.message || e) });
	}
});
`;

/** The group commit's storage: LogWriter on SQLite, PgBoardLog on PostgreSQL. */
export interface LogCommitter {
	/** Opens what the first commit needs now (production start-up). */
	start(): void;
	/** Resolves once the rows and compactions are durable; rejects if the transaction failed. */
	commit(rows: AppendRow[], compactions: Compaction[], at: number): Promise<void>;
	close(): Promise<void>;
}

interface Reply {
	id: number;
	ok: boolean;
	error?: string;
}

export class LogWriter implements LogCommitter {
	private worker: Worker | null = null;
	private readonly waiting = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
	private nextId = 1;
	private readonly driver = createRequire(import.meta.url).resolve('better-sqlite3');

	constructor(private readonly path: string) {
		// A second connection cannot share an in-memory database.
		if (path === ':memory:') throw new Error('the realtime log needs a database file');
	}

	/**
	 * Starts the worker now rather than at the first commit: a worker thread and its SQLite
	 * connection take tens of milliseconds to start, which the first acknowledged edit after a
	 * restart would otherwise wait for. An idle worker does not keep the process alive.
	 */
	start(): void {
		this.ensureWorker().unref();
	}

	/** Resolves once the rows and compactions are durable; rejects if the transaction failed. */
	commit(rows: AppendRow[], compactions: Compaction[], at: number): Promise<void> {
		return this.send({ rows, compactions, at });
	}

	async close(): Promise<void> {
		if (!this.worker) return;
		await this.send({ close: true }).catch(() => undefined);
		await this.worker?.terminate();
		this.worker = null;
	}

	private send(body: object): Promise<void> {
		const id = this.nextId++;
		return new Promise((resolve, reject) => {
			this.waiting.set(id, { resolve, reject });
			const worker = this.ensureWorker();
			// A commit in flight keeps the process alive; an idle writer does not.
			worker.ref();
			worker.postMessage({ id, ...body });
		});
	}

	private ensureWorker(): Worker {
		if (this.worker) return this.worker;
		const worker = new Worker(WORKER_SOURCE, {
			eval: true,
			workerData: { path: this.path, driver: this.driver }
		});
		worker.on('message', (m: Reply) => {
			const w = this.waiting.get(m.id);
			this.waiting.delete(m.id);
			if (this.waiting.size === 0) worker.unref();
			if (m.ok) w?.resolve();
			else w?.reject(new Error(m.error ?? 'commit failed'));
		});
		// The worker died (it cannot open the database, or crashed): whatever it held is not
		// durable. The next commit starts a new one.
		const fail = (e: Error) => {
			if (this.worker !== worker) return;
			this.worker = null;
			for (const w of this.waiting.values()) w.reject(e);
			this.waiting.clear();
		};
		worker.on('error', fail);
		worker.on('exit', (code) => fail(new Error(`log writer exited (${code})`)));
		this.worker = worker;
		return worker;
	}
}
