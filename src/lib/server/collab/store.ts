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

interface StoredRow {
	seq: number;
	data: Uint8Array;
}

/**
 * Reading a board's stored document (DUR-04: snapshot + later log rows) on the app's own
 * connection; appending and compacting happen on the log writer's (log-writer.ts).
 */
export class CollabStore {
	private readonly selectSnapshot: SQLite.Statement<[string], StoredRow>;
	private readonly selectLog: SQLite.Statement<[string, number], StoredRow>;

	constructor(
		private readonly db: Db,
		private readonly sqlite: SQLite.Database
	) {
		this.selectSnapshot = sqlite.prepare(
			'select seq, data from collab_snapshots where board_id = ?'
		);
		this.selectLog = sqlite.prepare(
			'select seq, data from collab_updates where board_id = ? and seq > ? order by seq'
		);
	}

	/**
	 * Runs `fn` while holding Kysely's lock on the app's connection: no Kysely transaction is open
	 * meanwhile, so raw statements here never land inside one, and a commit by the log writer
	 * never lands between one's read and its write.
	 */
	exclusive<T>(fn: () => T | Promise<T>): Promise<T> {
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
