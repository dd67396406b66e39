import type SQLite from 'better-sqlite3';
import { crc32 } from 'node:zlib';
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
	/** The whole document encoded, when that is simply the stored snapshot (no log rows). */
	fullState: Uint8Array | null;
}

export interface StoredRow {
	seq: number;
	data: Uint8Array;
	crc: number | null;
}

/** A board's stored document as raw rows, each already checked like client input. */
export interface StoredDoc {
	boardId: string;
	snapshot: StoredRow | null;
	/** Log rows after the snapshot, in order. */
	log: StoredRow[];
}

/**
 * Where the registry reads a board's stored document from: CollabStore on SQLite, PgBoardLog on
 * PostgreSQL (pg-board-log.ts).
 */
export interface LogReader {
	/** The board's stored rows, verified (a damaged one throws BoardNeedsRepair). */
	read(boardId: string): Promise<StoredDoc>;
	/** Runs `fn` (a group commit) kept apart from the app's own transactions where needed. */
	exclusive<T>(fn: () => Promise<T>): Promise<T>;
	/** The board was unloaded: whatever this process held for it may go. */
	release(boardId: string): void;
}

/**
 * Reading a board's stored document (DUR-04: snapshot + later log rows) on the app's own
 * connection; appending and compacting happen on the log writer's (log-writer.ts).
 */
export class CollabStore implements LogReader {
	private readonly selectSnapshot: SQLite.Statement<[string], StoredRow>;
	private readonly selectLog: SQLite.Statement<[string, number], StoredRow>;

	constructor(
		private readonly db: Db,
		private readonly sqlite: SQLite.Database
	) {
		this.selectSnapshot = sqlite.prepare(
			'select seq, data, crc from collab_snapshots where board_id = ?'
		);
		this.selectLog = sqlite.prepare(
			'select seq, data, crc from collab_updates where board_id = ? and seq > ? order by seq'
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

	read(boardId: string): Promise<StoredDoc> {
		return this.exclusive(() => this.readSync(boardId));
	}

	release(): void {
		// One process per SQLite file (process-lock.ts): nothing per board to give back.
	}

	/**
	 * Snapshot and every later log row, as stored. Each blob must match its checksum, or (rows
	 * from before checksums) pass the check client input gets; so a damaged row makes this board
	 * need repair instead of hanging or crashing the server (REL-04), and the rows may be sent to
	 * clients as they are (registry.ts).
	 */
	readSync(boardId: string): StoredDoc {
		const snapshot = this.selectSnapshot.get(boardId) ?? null;
		const log = this.selectLog.all(boardId, snapshot?.seq ?? 0);
		return verifyStoredDoc({ boardId, snapshot, log });
	}

	/** Snapshot and log as one document. */
	loadSync(boardId: string): LoadedDoc {
		return materialize(this.readSync(boardId));
	}
}

/** Checks every row of a stored document (storedRowProblem) and returns it unchanged. */
export function verifyStoredDoc(stored: StoredDoc): StoredDoc {
	if (stored.snapshot) verifyStored(stored.boardId, stored.snapshot, 'snapshot');
	for (const row of stored.log) verifyStored(stored.boardId, row, `update ${row.seq}`);
	return stored;
}

function verifyStored(boardId: string, row: StoredRow, what: string): void {
	const problem = storedRowProblem(row);
	if (problem) throw new BoardNeedsRepair(boardId, `${what}: ${problem}`);
}

/**
 * Why a stored blob cannot be used as it is, or null: its checksum does not match, or (rows from
 * before checksums) it fails the check client updates get. Loading and repair.ts both judge by it.
 */
export function storedRowProblem(row: StoredRow): string | null {
	if (row.crc !== null) return crc32(row.data) === row.crc ? null : 'checksum mismatch';
	const check = checkUpdate(row.data);
	return check.ok ? null : `invalid update: ${check.reason}`;
}

/** Applies checked stored rows to a new document; a row Yjs still refuses needs repair. */
export function materialize(stored: StoredDoc): LoadedDoc {
	const doc = new Y.Doc();
	let logBytes = 0;
	try {
		// One Yjs transaction for the whole load: per-update cleanup runs once, not per row.
		doc.transact(() => {
			if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot.data);
			for (const row of stored.log) {
				Y.applyUpdate(doc, row.data);
				logBytes += row.data.length;
			}
		});
	} catch (e) {
		doc.destroy();
		throw new BoardNeedsRepair(stored.boardId, e instanceof Error ? e.message : String(e));
	}
	const last = stored.log.at(-1)?.seq ?? stored.snapshot?.seq ?? 0;
	return {
		doc,
		nextSeq: last + 1,
		logRows: stored.log.length,
		logBytes,
		storedBytes: (stored.snapshot?.data.length ?? 0) + logBytes,
		fullState: stored.log.length === 0 ? (stored.snapshot?.data ?? null) : null
	};
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
		const data = Y.encodeStateAsUpdate(doc);
		await db
			.insertInto('collab_snapshots')
			.values({ board_id: boardId, seq: 0, data, crc: crc32(data), updated_at: Date.now() })
			.execute();
	} finally {
		doc.destroy();
	}
}
