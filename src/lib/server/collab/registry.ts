import type { CollabLimits } from './limits';
import type { CollabLog } from './log';
import type { AppendRow, Compaction, LogCommitter } from './log-writer';
import { Room, type PendingUpdate, type RoomHost } from './room';
import { primeMessages } from './prime';
import { materialize, type LogReader } from './store';

/** Sends a board's stored state to a connection waiting for it (Connection.prime). */
export type Primer = (messages: readonly Uint8Array[]) => Promise<void>;

/**
 * A board being loaded, and the connections to prime with its stored rows once they are read.
 * Only those that were waiting by then are primed: one that arrives while the rows are applied
 * waits for the room, whose one compact encoding costs a client less to apply than the snapshot
 * and the merged log (50 joiners of a cold 500-card board: ~1.4 s of client time against ~3 s).
 */
class Loading {
	read = false;
	primers: Primer[] = [];
	readonly room: Promise<Room>;

	constructor(load: (loading: Loading) => Promise<Room>) {
		this.room = load(this);
	}
}

/**
 * How long a load waits for the primed connections' bytes to leave before it applies the rows
 * (which blocks the event loop): long enough for loopback and LAN clients, short enough that a
 * slow reader does not hold up the board.
 */
const PRIME_FLUSH_MS = 50;

/**
 * The loaded boards (one Room per board id) and the group commit that persists them.
 *
 * Group commit: every update applied anywhere marks its room dirty. One commit at a time is in
 * flight: it takes every dirty room's pending updates (and the compactions due) into one
 * transaction on the log writer; whatever is applied while it runs goes into the next. So
 * batches grow with load and with the disk's latency, without any fixed wait.
 *
 * Unloading (WS-13): when a board's last connection leaves, its log is compacted and, after
 * `unloadAfterMs` without anyone returning, the Y.Doc, its Awareness and timers are destroyed.
 */
export class RoomRegistry implements RoomHost {
	private readonly rooms = new Map<string, Room>();
	private readonly loading = new Map<string, Loading>();
	private readonly dirty = new Set<Room>();
	private readonly toCompact = new Set<Room>();
	private running = false;
	private idleWaiters: (() => void)[] = [];
	/** Counters for tests, benchmarks and operators. */
	readonly stats = { commits: 0, committedUpdates: 0, compactions: 0, loads: 0, unloads: 0 };

	constructor(
		readonly limits: CollabLimits,
		private readonly store: LogReader,
		private readonly writer: LogCommitter,
		private readonly log: CollabLog,
		private readonly now: () => number,
		/** Told how long each group commit took on disk (the operator's latency histogram). */
		private readonly onCommit?: (seconds: number, updates: number) => void
	) {}

	/** Loaded boards (a test and benchmark probe). */
	get size(): number {
		return this.rooms.size;
	}

	/**
	 * The board's room, loaded if needed, with a hold the caller must `release`. Throws
	 * BoardNeedsRepair for a board whose stored document does not load. If it has to wait for a
	 * load, `prime` gets the stored rows as soon as they are read.
	 */
	async acquire(boardId: string, prime?: Primer): Promise<Room> {
		for (;;) {
			const room = this.rooms.get(boardId);
			if (room?.state === 'open') {
				room.holds++;
				if (room.unloadTimer) clearTimeout(room.unloadTimer);
				room.unloadTimer = null;
				return room;
			}
			if (room) {
				// Closing after a failure: wait until its last commits are done and it is gone, so
				// the next load sees them.
				await this.flush();
				if (this.rooms.get(boardId) === room) this.rooms.delete(boardId);
				continue;
			}
			let loading = this.loading.get(boardId);
			if (!loading) {
				loading = new Loading((l) => this.load(boardId, l));
				this.loading.set(boardId, loading);
			}
			if (prime && !loading.read) loading.primers.push(prime);
			prime = undefined;
			try {
				await loading.room;
			} finally {
				if (this.loading.get(boardId) === loading) this.loading.delete(boardId);
			}
		}
	}

	release(room: Room): void {
		room.holds--;
		if (room.refs === 0) this.roomIdle(room);
	}

	/**
	 * Reads the stored rows, primes the waiting connections with them, then applies them. Nothing
	 * can be committed for this board in between: there is no room to apply anything to yet.
	 */
	private async load(boardId: string, loading: Loading): Promise<Room> {
		const stored = await this.store.read(boardId);
		let messages: Uint8Array[] | null = null;
		try {
			messages = primeMessages(stored);
		} catch (e) {
			// Only a shortcut: the clients get the state from the room once it is loaded.
			this.log('prime-failed', {
				board: boardId,
				error: e instanceof Error ? e.message : String(e)
			});
		}
		loading.read = true;
		const sent = messages ? loading.primers.map((prime) => prime(messages)) : [];
		loading.primers = [];
		if (sent.length > 0) {
			let timer: NodeJS.Timeout | undefined;
			await Promise.race([
				Promise.all(sent),
				new Promise((r) => (timer = setTimeout(r, PRIME_FLUSH_MS)))
			]);
			clearTimeout(timer);
		}
		const room = new Room(boardId, materialize(stored), this);
		this.rooms.set(boardId, room);
		this.stats.loads++;
		return room;
	}

	scheduleCommit(room: Room): void {
		this.dirty.add(room);
		this.kick();
	}

	/** Resolves once everything applied so far is committed (and pending compactions are done). */
	flush(): Promise<void> {
		if (!this.running && this.dirty.size === 0 && this.toCompact.size === 0)
			return Promise.resolve();
		this.kick();
		return new Promise((resolve) => this.idleWaiters.push(resolve));
	}

	private kick(): void {
		if (this.running) return;
		this.running = true;
		// Everything applied in this turn of the event loop joins the first commit.
		setImmediate(() => void this.drain());
	}

	private async drain(): Promise<void> {
		while (this.dirty.size > 0 || this.toCompact.size > 0) {
			try {
				// Holding Kysely's lock keeps this commit out of the app's transactions (log-writer.ts).
				await this.store.exclusive(() => this.commitOnce());
			} catch (e) {
				// Only reached if the lock itself failed; the batch was not taken.
				this.log('commit-error', { error: e instanceof Error ? e.message : String(e) });
				for (const room of this.dirty) this.abandon(room, e);
				this.dirty.clear();
				this.toCompact.clear();
			}
		}
		this.running = false;
		const waiters = this.idleWaiters;
		this.idleWaiters = [];
		for (const fn of waiters) fn();
	}

	/** One group commit: append and compact, then acknowledge (broadcast). */
	private async commitOnce(): Promise<void> {
		const batch: { room: Room; updates: PendingUpdate[] }[] = [];
		const rows: AppendRow[] = [];
		for (const room of this.dirty) {
			const { updates, firstSeq } = room.takePending();
			batch.push({ room, updates });
			updates.forEach((u, i) =>
				rows.push({ boardId: room.boardId, seq: firstSeq + i, data: u.data })
			);
			if (
				room.logRows + updates.length >= this.limits.compactAfterRows ||
				room.logBytes >= this.limits.compactAfterBytes
			)
				this.toCompact.add(room);
		}
		this.dirty.clear();
		const compactions: { room: Room; job: Compaction }[] = [];
		for (const room of this.toCompact) {
			// Made from the trusted in-memory document (never by merging stored client bytes),
			// which at this moment holds exactly the updates numbered so far.
			if (room.state === 'open' && room.logRows + rowsOf(batch, room) > 0)
				compactions.push({
					room,
					job: { boardId: room.boardId, seq: room.nextSeq - 1, snapshot: room.encodeSnapshot() }
				});
		}
		this.toCompact.clear();
		if (rows.length === 0 && compactions.length === 0) return;
		const started = performance.now();
		try {
			await this.writer.commit(
				rows,
				compactions.map((c) => c.job),
				this.now()
			);
		} catch (e) {
			// DUR-10: nothing of this batch is acknowledged. The rooms hold changes the disk does
			// not; they are dropped and reloaded, and clients resend what they still have.
			this.log('commit-failed', {
				error: e instanceof Error ? e.message : String(e),
				updates: rows.length
			});
			for (const { room } of batch) this.abandon(room, e);
			return;
		}
		this.stats.commits++;
		this.stats.committedUpdates += rows.length;
		this.onCommit?.((performance.now() - started) / 1000, rows.length);
		for (const { room, updates } of batch) {
			room.committed(updates);
			if (room.state === 'closing' && room.quiet) this.forget(room);
		}
		for (const { room, job } of compactions) {
			room.compacted(job.snapshot.length);
			this.stats.compactions++;
		}
	}

	/**
	 * Every loaded board is dropped unsaved and its sockets closed (1011, clients reconnect):
	 * this process lost the locks through which it owned them (pg-board-log.ts), so whatever
	 * it has not committed can no longer be, and another process may serve them now.
	 */
	abandonAll(error: Error): void {
		for (const room of [...this.rooms.values()]) this.abandon(room, error);
		this.dirty.clear();
		this.toCompact.clear();
	}

	private abandon(room: Room, error: unknown): void {
		// Later updates may build on the lost ones: none of them is written either.
		room.pending = [];
		this.dirty.delete(room);
		room.close(1011, 'storage failure');
		room.failGates(error instanceof Error ? error : new Error(String(error)));
		this.forget(room);
	}

	roomClosing(room: Room): void {
		if (room.quiet) this.forget(room);
	}

	/** A closing room leaves the map at once (the next connection loads afresh) and is destroyed
	 * when its last connection has gone. */
	private forget(room: Room): void {
		if (this.rooms.get(room.boardId) === room) this.rooms.delete(room.boardId);
		if (room.refs === 0) room.destroy();
	}

	roomIdle(room: Room): void {
		if (room.state === 'closing') {
			if (this.rooms.get(room.boardId) !== room) room.destroy();
			return;
		}
		if (this.rooms.get(room.boardId) !== room) return;
		// The last client left: persist and compact now, unload after the grace period.
		this.toCompact.add(room);
		this.kick();
		if (room.unloadTimer) clearTimeout(room.unloadTimer);
		room.unloadTimer = setTimeout(() => void this.unloadIfIdle(room), this.limits.unloadAfterMs);
		room.unloadTimer.unref();
	}

	private async unloadIfIdle(room: Room): Promise<void> {
		room.unloadTimer = null;
		await this.flush();
		if (room.refs > 0 || room.state !== 'open' || this.rooms.get(room.boardId) !== room) return;
		if (!room.quiet) {
			this.roomIdle(room);
			return;
		}
		this.rooms.delete(room.boardId);
		room.destroy();
		this.store.release(room.boardId);
		this.stats.unloads++;
	}

	/**
	 * A deleted board: what was applied is committed first (its rows are about to go), then the
	 * room closes its connections and leaves without a compaction, so nothing more is written for
	 * it. A later connection would find no board (the upgrade refuses it).
	 */
	async discard(boardId: string, code: number, reason: string): Promise<void> {
		await this.flush();
		const room = this.rooms.get(boardId);
		if (!room) return;
		this.toCompact.delete(room);
		room.close(code, reason);
	}

	/** Shutdown: commit everything, compact every board, close all sockets (1012), unload. */
	async close(): Promise<void> {
		await this.flush();
		for (const room of this.rooms.values()) this.toCompact.add(room);
		await this.flush();
		for (const room of [...this.rooms.values()]) {
			room.close(1012, 'server restarting');
			this.rooms.delete(room.boardId);
			room.destroy();
		}
		await this.writer.close();
	}
}

function rowsOf(batch: { room: Room; updates: PendingUpdate[] }[], room: Room): number {
	return batch.find((b) => b.room === room)?.updates.length ?? 0;
}
