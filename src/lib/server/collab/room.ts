import {
	applyAwarenessUpdate,
	Awareness,
	encodeAwarenessUpdate,
	removeAwarenessStates
} from 'y-protocols/awareness';
import * as Y from 'yjs';
import {
	readAwarenessUpdate,
	rewriteAwarenessState,
	writeAwarenessUpdate,
	type AwarenessEntry
} from './awareness-state';
import { MalformedMessage } from './byte-reader';
import type { Connection } from './connection';
import type { CollabLimits } from './limits';
import { awarenessMessage, EMPTY_UPDATE, syncStep1Message, updateMessage } from './protocol';
import type { LoadedDoc } from './store';

/** An update applied in memory and waiting for its group commit, with who sent it. */
export interface PendingUpdate {
	data: Uint8Array;
	origin: unknown;
}

/** Something to do once the document as it is now is durable (or to undo if it never is). */
interface Gate {
	/** How many updates had been applied when it was queued. */
	at: number;
	run: () => void;
	fail?: (e: Error) => void;
}

/** What the registry does for a room: persist its updates, and notice when it is unused. */
export interface RoomHost {
	limits: CollabLimits;
	scheduleCommit(room: Room): void;
	roomIdle(room: Room): void;
	roomClosing(room: Room): void;
}

export type Verdict = { ok: true } | { ok: false; code: number; reason: string };

const OK: Verdict = { ok: true };
/**
 * Presence changes are gathered this long before they are sent (flushPresence): short beside
 * the 200 ms at which clients send cursor moves, long enough to batch a reconnect storm.
 */
const PRESENCE_BATCH_MS = 25;
/** Exact re-measurement of a board's size costs O(board); it is redone only after this growth. */
const REMEASURE_AFTER = 64 * 1024;

/**
 * One loaded board: its Yjs document, presence, and connections.
 *
 * The durability rule (DUR-03): an update is applied to the in-memory document, then committed
 * to SQLite, and only then leaves the server — to other clients and, as the durability ack, back
 * to its sender. Anything else derived from the document (SyncStep2 replies, the server's state
 * vector, "saved" reports) is computed at once but held back (`afterCommit`) until every update
 * applied before it is committed, so no client ever sees state a crash could still take back.
 * Commits run off the event loop, so updates keep being applied while one is in flight.
 */
export class Room {
	readonly doc: Y.Doc;
	readonly awareness: Awareness;
	readonly conns = new Set<Connection>();
	/** Server-side users (changeBoardDoc, readBoardDoc) that keep the room loaded. */
	holds = 0;
	state: 'open' | 'closing' = 'open';
	/** Set when a commit failed: whoever waits for this room's commit is told. */
	failure: Error | null = null;
	/** Applied in memory and not yet handed to a commit, in order. */
	pending: PendingUpdate[] = [];
	/** Updates applied since the room was loaded, and how many of them are committed. */
	applied = 0;
	committedCount = 0;
	nextSeq: number;
	logRows: number;
	logBytes: number;
	unloadTimer: NodeJS.Timeout | null = null;
	/** Upper bound on the encoded size: last exact measurement plus every update since. */
	private approxBytes: number;
	private approxAtSnapshot = 0;
	private growthSinceMeasure = 0;
	private gates: Gate[] = [];
	/** Which connection introduced each awareness client id (WS-11). */
	private readonly owners = new Map<number, Connection>();
	private destroyed = false;
	/** The whole document encoded, kept until it changes: most joiners start from nothing. */
	private fullState: Uint8Array | null = null;
	/** What the stored rows it was loaded from hold: connections primed with them have it. */
	private readonly loadedVector: Map<number, number>;
	/** Presence changes not yet sent: client id → the connection it came from (null: server). */
	private readonly presenceOutbox = new Map<number, Connection | null>();
	private presenceTimer: NodeJS.Timeout | null = null;
	/** Everything applied since the load, kept until the document changes again. */
	private sinceLoad: Uint8Array | null = null;

	constructor(
		readonly boardId: string,
		loaded: LoadedDoc,
		private readonly host: RoomHost
	) {
		this.doc = loaded.doc;
		this.nextSeq = loaded.nextSeq;
		this.logRows = loaded.logRows;
		this.logBytes = loaded.logBytes;
		this.approxBytes = loaded.storedBytes;
		this.fullState = loaded.fullState;
		this.loadedVector = Y.decodeStateVector(Y.encodeStateVector(this.doc));
		this.doc.on('update', (data: Uint8Array, origin: unknown) => {
			this.fullState = null;
			this.sinceLoad = null;
			this.applied++;
			this.pending.push({ data, origin });
			this.approxBytes += data.length;
			this.growthSinceMeasure += data.length;
			host.scheduleCommit(this);
		});
		this.awareness = new Awareness(this.doc);
		// The server has no presence of its own.
		this.awareness.setLocalState(null);
		this.awareness.on(
			'update',
			(
				{ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
				origin: unknown
			) => {
				const from = this.conns.has(origin as Connection) ? (origin as Connection) : null;
				for (const id of [...added, ...updated, ...removed]) this.presenceOutbox.set(id, from);
				this.presenceTimer ??= setTimeout(() => this.flushPresence(), PRESENCE_BATCH_MS);
			}
		);
	}

	get refs(): number {
		return this.conns.size + this.holds;
	}

	addConnection(conn: Connection): void {
		this.conns.add(conn);
		if (this.unloadTimer) clearTimeout(this.unloadTimer);
		this.unloadTimer = null;
		// Like the stock server, ask writers for what they have that the server lacks. Observers
		// are not asked: whatever they sent back would be dropped anyway.
		if (conn.canWrite) this.requestClientState(conn);
		if (this.awareness.states.size > 0) {
			conn.send(
				awarenessMessage(encodeAwarenessUpdate(this.awareness, [...this.awareness.states.keys()]))
			);
		}
	}

	removeConnection(conn: Connection): void {
		if (!this.conns.delete(conn)) return;
		// Only the leaving connection's own presence goes (WS-11).
		const mine = [...this.owners].filter(([, owner]) => owner === conn).map(([id]) => id);
		for (const id of mine) this.owners.delete(id);
		if (mine.length > 0) removeAwarenessStates(this.awareness, mine, conn);
		if (this.refs === 0) this.host.roomIdle(this);
	}

	/** Sends the server's state vector (once durable): the client answers with what is missing. */
	requestClientState(conn: Connection): void {
		const msg = syncStep1Message(Y.encodeStateVector(this.doc));
		this.afterCommit(() => conn.send(msg));
	}

	/**
	 * What a client with state vector `sv` lacks (the SyncStep2 payload). A fresh client's empty
	 * vector gets the cached full encoding, so fifty joiners cost one encode, not fifty. A
	 * connection `primed` with the stored rows this room was loaded from (registry.ts) already
	 * holds all of that, whatever its own vector says.
	 */
	diffFor(sv: Uint8Array, primed = false): Uint8Array {
		if (primed) {
			const clientVector = Y.decodeStateVector(sv);
			const aheadOfStore = [...clientVector].some(
				([client, clock]) => clock > (this.loadedVector.get(client) ?? 0)
			);
			if (!aheadOfStore) {
				// It holds exactly what was loaded: it lacks only what was applied since.
				if (this.applied === 0) return EMPTY_UPDATE;
				return (this.sinceLoad ??= Y.encodeStateAsUpdate(
					this.doc,
					Y.encodeStateVector(this.loadedVector)
				));
			}
			const known = new Map(this.loadedVector);
			for (const [client, clock] of clientVector)
				known.set(client, Math.max(clock, known.get(client) ?? 0));
			return Y.encodeStateAsUpdate(this.doc, Y.encodeStateVector(known));
		}
		if (sv.length === 1 && sv[0] === 0) return (this.fullState ??= Y.encodeStateAsUpdate(this.doc));
		return Y.encodeStateAsUpdate(this.doc, sv);
	}

	/** Runs `run` once everything applied so far is committed (at once if it already is). */
	afterCommit(run: () => void, fail?: (e: Error) => void): void {
		if (this.committedCount >= this.applied) run();
		else this.gates.push({ at: this.applied, run, fail });
	}

	/** Hands the pending updates to a commit, numbering them. */
	takePending(): { updates: PendingUpdate[]; firstSeq: number } {
		const updates = this.pending;
		this.pending = [];
		const firstSeq = this.nextSeq;
		this.nextSeq += updates.length;
		return { updates, firstSeq };
	}

	/** A commit holding `updates` is durable: broadcast them, open the gates they held shut. */
	committed(updates: PendingUpdate[]): void {
		this.committedCount += updates.length;
		this.logRows += updates.length;
		for (const u of updates) {
			this.logBytes += u.data.length;
			// Everyone, the sender included: the echo is the sender's durability ack.
			const msg = updateMessage(u.data);
			for (const conn of this.conns) conn.send(msg);
		}
		while (this.gates.length > 0 && (this.gates[0] as Gate).at <= this.committedCount)
			(this.gates.shift() as Gate).run();
	}

	/** True when the in-memory document holds exactly what is stored. */
	get quiet(): boolean {
		return this.committedCount === this.applied;
	}

	/** The whole document as a snapshot; everything applied so far must be numbered. */
	encodeSnapshot(): Uint8Array {
		this.approxAtSnapshot = this.approxBytes;
		return Y.encodeStateAsUpdate(this.doc);
	}

	/** The snapshot is stored: the log is empty, and the size estimate starts from it again. */
	compacted(snapshotBytes: number): void {
		this.logRows = 0;
		this.logBytes = 0;
		// Updates applied while the compaction was being written still count.
		this.approxBytes = snapshotBytes + (this.approxBytes - this.approxAtSnapshot);
		this.growthSinceMeasure = 0;
	}

	/**
	 * Applies a checked client update (WS-09: refused if the board would outgrow its cap). A
	 * throw from Yjs means the document may hold part of the update; the room is then closed and
	 * reloaded from what is committed, and the partial change is never persisted or sent.
	 */
	applyClientUpdate(conn: Connection, update: Uint8Array): Verdict {
		if (!this.fits(update.length))
			return { ok: false, code: 4413, reason: 'board size limit reached' };
		const before = this.pending.length;
		const appliedBefore = this.applied;
		try {
			Y.applyUpdate(this.doc, update, conn);
		} catch {
			this.pending.length = before;
			this.applied = appliedBefore;
			this.close(1012, 'board reloading after a rejected update');
			return { ok: false, code: 1002, reason: 'update rejected' };
		}
		return OK;
	}

	private fits(incoming: number): boolean {
		const cap = this.host.limits.maxDocBytes;
		if (this.approxBytes + incoming <= cap) return true;
		if (this.growthSinceMeasure < REMEASURE_AFTER) return false;
		this.approxBytes = Y.encodeStateAsUpdate(this.doc).length;
		this.growthSinceMeasure = 0;
		return this.approxBytes + incoming <= cap;
	}

	/**
	 * Presence from a connection. An entry counts only for a client id the connection introduced
	 * (first seen, up to a small number); other entries — stock clients echo everyone's states
	 * back — are ignored. A client that reconnects before the server noticed its old socket die
	 * is shown with its old state until the heartbeat drops that socket. Owned states get the
	 * session's identity (WS-11). Returns the number of newly introduced ids.
	 */
	applyClientAwareness(conn: Connection, update: Uint8Array): Verdict & { introduced?: number } {
		let entries: AwarenessEntry[];
		try {
			entries = readAwarenessUpdate(update);
		} catch (e) {
			if (e instanceof MalformedMessage) return { ok: false, code: 1002, reason: e.message };
			throw e;
		}
		const accepted: AwarenessEntry[] = [];
		let introduced = 0;
		for (const entry of entries) {
			const owner = this.owners.get(entry.clientId);
			if (owner !== conn) {
				// Never taken over, not even by the same user: stock clients echo every state they
				// receive, so two tabs of one user would hand an id back and forth forever.
				const mayClaim =
					owner === undefined &&
					conn.ownedClients < this.host.limits.maxAwarenessClientsPerConnection;
				if (!mayClaim) {
					conn.foreignAwareness++;
					continue;
				}
				this.owners.set(entry.clientId, conn);
				conn.ownedClients++;
				conn.clientIds.add(entry.clientId);
				introduced++;
			}
			try {
				const json = rewriteAwarenessState(
					entry.json,
					conn.user,
					this.host.limits.maxAwarenessStateBytes
				);
				// The server numbers the states it publishes: a client that reconnects re-sends its
				// old clock, which everyone would ignore after its removal was broadcast.
				const clock = (this.awareness.meta.get(entry.clientId)?.clock ?? 0) + 1;
				accepted.push({ clientId: entry.clientId, clock, json });
			} catch (e) {
				if (e instanceof MalformedMessage) return { ok: false, code: 1008, reason: e.message };
				throw e;
			}
		}
		if (accepted.length > 0)
			applyAwarenessUpdate(this.awareness, writeAwarenessUpdate(accepted), conn);
		return { ok: true, introduced };
	}

	/**
	 * Sends the presence changes of the last few milliseconds as one message per connection. In
	 * a busy room (or when everyone reconnects after a restart) each change sent on its own
	 * costs every client a message, and 200 reconnecting clients then cost each other 40,000
	 * (G9). A connection's own states are left out of what it gets: it has them, and the
	 * server's renumbered copy would overwrite its local state.
	 */
	private flushPresence(): void {
		this.presenceTimer = null;
		const changed = [...this.presenceOutbox.keys()];
		const origins = new Map<Connection, Set<number>>();
		for (const [id, conn] of this.presenceOutbox) {
			if (!conn) continue;
			const ids = origins.get(conn) ?? new Set<number>();
			ids.add(id);
			origins.set(conn, ids);
		}
		this.presenceOutbox.clear();
		if (changed.length === 0 || this.destroyed) return;
		const everything = awarenessMessage(encodeAwarenessUpdate(this.awareness, changed));
		for (const conn of this.conns) {
			const own = origins.get(conn);
			if (!own) conn.send(everything);
			else if (own.size < changed.length) {
				const others = changed.filter((id) => !own.has(id));
				conn.send(awarenessMessage(encodeAwarenessUpdate(this.awareness, others)));
			}
		}
	}

	/** Closes every connection; the registry unloads the room once its commits are done. */
	close(code: number, reason: string): void {
		this.state = 'closing';
		for (const conn of [...this.conns]) conn.close(code, reason);
		this.host.roomClosing(this);
	}

	destroy(): void {
		if (this.destroyed) return;
		this.destroyed = true;
		if (this.unloadTimer) clearTimeout(this.unloadTimer);
		if (this.presenceTimer) clearTimeout(this.presenceTimer);
		this.presenceTimer = null;
		this.unloadTimer = null;
		this.awareness.destroy();
		this.doc.destroy();
	}

	/** A commit failed: nothing waiting on this room will become durable. */
	failGates(error: Error): void {
		this.failure = error;
		const gates = this.gates;
		this.gates = [];
		for (const g of gates) g.fail?.(error);
	}
}
