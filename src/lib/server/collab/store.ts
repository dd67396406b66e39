import type SQLite from 'better-sqlite3';
import * as Y from 'yjs';
import type { Db } from '../db/connect';
import type { Database } from '../db/schema';
import type { Kysely } from 'kysely';
import { checkUpdate } from './update-check';

/** A board whose stored document cannot be loaded; it is refused until someone repairs it. */
export class BoardNeedsRepair extends Error {
	constructor(
		readonly boardId: string,
		detail: string
	) {
		super(`board ${boardId} needs repair: ${detail}`);
	}
}

export interface LoadedDoc {
	doc: Y.Doc;
	/** The seq the next appended update gets. */
	nextSeq: number;
	/** Log rows and bytes not yet folded into the snapshot. */
	logRows: number;
	logBytes: number;
	/** Encoded size of snapshot + log: an upper bound on the document's encoded size. */
	storedBytes: number;
}

export interface AppendRow {
	boardId: string;
	seq: number;
	data: Uint8Array;
}

interface StoredRow {
	seq: number;
	data: Uint8Array;
}

/**
 * The update log and snapshots (DUR-03/04).
 *
 * The hot path uses prepared statements on the raw connection rather than Kysely: a group commit
 * must be one synchronous `BEGIN IMMEDIATE … COMMIT` so that nothing else runs on the event loop
 * between the commit and the broadcast that acknowledges it. `exclusive` first takes Kysely's
 * connection lock, so these statements never land inside a Kysely transaction that is waiting
 * on an `await` (they would then commit or roll back with it).
 */
export class CollabStore {
	private readonly insertUpdate: SQLite.Statement<[string, number, Uint8Array, number]>;
	private readonly selectSnapshot: SQLite.Statement<[string], StoredRow>;
	private readonly selectLog: SQLite.Statement<[string, number], StoredRow>;
	private readonly upsertSnapshot: SQLite.Statement<[string, number, Uint8Array, number]>;
	private readonly deleteLog: SQLite.Statement<[string, number]>;
	private readonly appendTx: SQLite.Transaction<(rows: AppendRow[], at: number) => void>;
	private readonly compactTx: SQLite.Transaction<
		(boardId: string, seq: number, data: Uint8Array, at: number) => void
	>;

	constructor(
		private readonly db: Db,
		private readonly sqlite: SQLite.Database,
		private readonly now: () => number
	) {
		this.insertUpdate = sqlite.prepare(
			'insert into collab_updates (board_id, seq, data, created_at) values (?, ?, ?, ?)'
		);
		this.selectSnapshot = sqlite.prepare(
			'select seq, data from collab_snapshots where board_id = ?'
		);
		this.selectLog = sqlite.prepare(
			'select seq, data from collab_updates where board_id = ? and seq > ? order by seq'
		);
		this.upsertSnapshot = sqlite.prepare(
			'insert into collab_snapshots (board_id, seq, data, updated_at) values (?, ?, ?, ?) ' +
				'on conflict (board_id) do update set seq = excluded.seq, data = excluded.data, ' +
				'updated_at = excluded.updated_at'
		);
		this.deleteLog = sqlite.prepare('delete from collab_updates where board_id = ? and seq <= ?');
		this.appendTx = sqlite.transaction((rows: AppendRow[], at: number) => {
			for (const r of rows) this.insertUpdate.run(r.boardId, r.seq, r.data, at);
		});
		this.compactTx = sqlite.transaction(
			(boardId: string, seq: number, data: Uint8Array, at: number) => {
				this.upsertSnapshot.run(boardId, seq, data, at);
				this.deleteLog.run(boardId, seq);
			}
		);
	}

	/** Runs `fn` while holding the database connection (see the class comment). */
	exclusive<T>(fn: () => T): Promise<T> {
		return this.db.connection().execute(async () => {
			if (this.sqlite.inTransaction) throw new Error('collab store: connection is mid-transaction');
			return fn();
		});
	}

	/**
	 * Snapshot, then every later log row. Each stored blob is checked like client input: a
	 * corrupted row makes this board need repair instead of hanging or crashing the server (REL-04).
	 */
	loadSync(boardId: string): LoadedDoc {
		const doc = new Y.Doc();
		const snapshot = this.selectSnapshot.get(boardId);
		let seq = snapshot?.seq ?? 0;
		let logRows = 0;
		let logBytes = 0;
		try {
			// One Yjs transaction for the whole load: per-update cleanup runs once, not per row.
			doc.transact(() => {
				if (snapshot) applyStored(doc, snapshot.data, 'snapshot');
				for (const row of this.selectLog.iterate(boardId, seq)) {
					applyStored(doc, row.data, `update ${row.seq}`);
					seq = row.seq;
					logRows++;
					logBytes += row.data.length;
				}
			});
		} catch (e) {
			doc.destroy();
			throw new BoardNeedsRepair(boardId, e instanceof Error ? e.message : String(e));
		}
		return {
			doc,
			nextSeq: seq + 1,
			logRows,
			logBytes,
			storedBytes: (snapshot?.data.length ?? 0) + logBytes
		};
	}

	/** One transaction for every update of one group commit (synchronous=FULL: durable on return). */
	appendSync(rows: AppendRow[]): void {
		this.appendTx.immediate(rows, this.now());
	}

	/** Replaces the snapshot and drops the rows it covers, atomically (a crash keeps one or other). */
	compactSync(boardId: string, seq: number, snapshot: Uint8Array): void {
		this.compactTx.immediate(boardId, seq, snapshot, this.now());
	}
}

function applyStored(doc: Y.Doc, data: Uint8Array, what: string): void {
	const check = checkUpdate(data);
	if (!check.ok) throw new Error(`${what}: ${check.reason}`);
	Y.applyUpdate(doc, data);
}

/**
 * Stores a new board's seeded content as its first snapshot. `update` comes from the server
 * (a document built from report items); it is normalised through a Y.Doc so the stored bytes are
 * Yjs's own encoding. Accepts a Kysely transaction, so the board row and its content can be
 * created together. Fails if the board already has content.
 */
export async function storeInitialState(
	db: Kysely<Database>,
	boardId: string,
	update: Uint8Array
): Promise<void> {
	const doc = new Y.Doc();
	try {
		Y.applyUpdate(doc, update);
		await db
			.insertInto('collab_snapshots')
			.values({
				board_id: boardId,
				seq: 0,
				data: Y.encodeStateAsUpdate(doc),
				updated_at: Date.now()
			})
			.execute();
	} finally {
		doc.destroy();
	}
}
