import * as Y from 'yjs';
import type { CollabLimits } from './limits';
import type { CollabLog } from './log';
import { Room, type PendingUpdate, type RoomHost } from './room';
import type { AppendRow, CollabStore } from './store';

/**
 * The loaded boards (one Room per board id) and the group commit that persists them.
 *
 * Group commit: every update applied anywhere marks its room dirty; one pass (scheduled with
 * setImmediate, so everything that arrived in the same turn of the event loop is included)
 * writes all of them in a single transaction, then lets each room broadcast. While one commit's
 * fsync runs, new updates queue up for the next, so batches grow with load.
 *
 * Unloading (WS-13): when a board's last connection leaves, its log is compacted and, after
 * `unloadAfterMs` without anyone returning, the Y.Doc, its Awareness and timers are destroyed.
 */
export class RoomRegistry implements RoomHost {
	private readonly rooms = new Map<string, Room>();
	private readonly loading = new Map<string, Promise<Room>>();
	private readonly dirty = new Set<Room>();
	private readonly toCompact = new Set<Room>();
	private running = false;
	private again = false;
	private idleWaiters: (() => void)[] = [];
	/** Counters for tests, benchmarks and operators. */
	readonly stats = { commits: 0, committedUpdates: 0, compactions: 0, loads: 0, unloads: 0 };

	constructor(
		readonly limits: CollabLimits,
		private readonly store: CollabStore,
		private readonly log: CollabLog
	) {}

	/** Loaded boards (a test and benchmark probe). */
	get size(): number {
		return this.rooms.size;
	}

	/**
	 * The board's room, loaded if needed, with a hold the caller must `release`. Throws
	 * BoardNeedsRepair for a board whose stored document does not load.
	 */
	async acquire(boardId: string): Promise<Room> {
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
				loading = this.load(boardId);
				this.loading.set(boardId, loading);
			}
			try {
				await loading;
			} finally {
				if (this.loading.get(boardId) === loading) this.loading.delete(boardId);
			}
		}
	}

	release(room: Room): void {
		room.holds--;
		if (room.refs === 0) this.roomIdle(room);
	}

	private async load(boardId: string): Promise<Room> {
		const loaded = await this.store.exclusive(() => this.store.loadSync(boardId));
		const room = new Room(boardId, loaded, this);
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
		if (this.running) {
			this.again = true;
			return;
		}
		this.running = true;
		setImmediate(() => void this.drain());
	}

	private async drain(): Promise<void> {
		do {
			this.again = false;
			try {
				await this.store.exclusive(() => this.commitSync());
			} catch (e) {
				// Only reached if the connection could not be taken; nothing was committed.
				this.log('commit-error', { error: e instanceof Error ? e.message : String(e) });
				for (const room of this.dirty) this.abandon(room, e);
				this.dirty.clear();
			}
		} while (this.again || this.dirty.size > 0 || this.toCompact.size > 0);
		this.running = false;
		const waiters = this.idleWaiters;
		this.idleWaiters = [];
		for (const fn of waiters) fn();
	}

	/** One group commit: append, then acknowledge (broadcast), then compact what grew too long. */
	private commitSync(): void {
		const rooms = [...this.dirty];
		this.dirty.clear();
		const batch: { room: Room; updates: PendingUpdate[] }[] = [];
		const rows: AppendRow[] = [];
		for (const room of rooms) {
			const updates = room.pending;
			room.pending = [];
			batch.push({ room, updates });
			let seq = room.nextSeq;
			for (const u of updates) rows.push({ boardId: room.boardId, seq: seq++, data: u.data });
		}
		if (rows.length > 0) {
			try {
				this.store.appendSync(rows);
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
		}
		for (const { room, updates } of batch) {
			room.committed(updates);
			if (room.state === 'closing') this.forget(room);
			else if (
				room.logRows >= this.limits.compactAfterRows ||
				room.logBytes >= this.limits.compactAfterBytes
			)
				this.toCompact.add(room);
		}
		for (const room of this.toCompact) this.compactSync(room);
		this.toCompact.clear();
	}

	/**
	 * Folds the log into a snapshot made from the trusted in-memory document (never by merging
	 * stored client bytes). Only between commits, so the document holds exactly what is stored.
	 */
	private compactSync(room: Room): void {
		if (room.state !== 'open' || room.logRows === 0 || room.pending.length > 0) return;
		try {
			const snapshot = Y.encodeStateAsUpdate(room.doc);
			this.store.compactSync(room.boardId, room.nextSeq - 1, snapshot);
			room.compacted(snapshot.length);
			this.stats.compactions++;
		} catch (e) {
			// The log is intact; compaction is retried the next time the room qualifies.
			this.log('compaction-failed', {
				board: room.boardId,
				error: e instanceof Error ? e.message : String(e)
			});
		}
	}

	private abandon(room: Room, error: unknown): void {
		room.failure = error instanceof Error ? error : new Error(String(error));
		room.pending = [];
		room.close(1011, 'storage failure');
		room.flushWaiters();
		this.forget(room);
	}

	roomClosing(room: Room): void {
		if (room.pending.length === 0) this.forget(room);
	}

	/** A closing room leaves the map at once (the next connection loads afresh) and is destroyed
	 * when its last connection has gone. */
	private forget(room: Room): void {
		if (this.rooms.get(room.boardId) === room) this.rooms.delete(room.boardId);
		if (room.refs === 0) room.destroy();
	}

	roomIdle(room: Room): void {
		if (room.state === 'closing') {
			if (room.pending.length === 0 && this.rooms.get(room.boardId) !== room) room.destroy();
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
		if (room.pending.length > 0) {
			this.roomIdle(room);
			return;
		}
		this.rooms.delete(room.boardId);
		room.destroy();
		this.stats.unloads++;
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
	}
}
