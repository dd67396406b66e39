import type { RawData, WebSocket } from 'ws';
import * as Y from 'yjs';
import { roleAllows, type BoardRole } from '../../domain/board/roles';
import type { PresenceIdentity } from './awareness-state';
import { MalformedMessage } from './byte-reader';
import type { CollabLimits } from './limits';
import type { CollabLog } from './log';
import {
	awarenessMessage,
	readClientMessage,
	refusedMessage,
	savedMessage,
	syncStep2Message,
	UnsupportedMessage,
	MESSAGE_QUERY_AWARENESS,
	MESSAGE_SYNC,
	SYNC_STEP1
} from './protocol';
import type { Room } from './room';
import { TokenBucket } from './token-bucket';
import { checkUpdate } from './update-check';
import type { UpdateTrial } from './update-trial';
import type { PolicyVerdict, RefusalReason } from './policy';
import { encodeAwarenessUpdate } from 'y-protocols/awareness';

/** What a connection needs from the server around it. */
export interface ConnectionHost {
	limits: CollabLimits;
	trial: UpdateTrial;
	log: CollabLog;
	/** The user's update-apply time budget, shared by all their connections (WS-07). */
	cpuBudget(userId: number): TokenBucket;
	/** Counters for tests, benchmarks and operators. */
	stats: {
		droppedReadOnly: number;
		/** Updates refused by the board's or the facilitator's rules, per reason. */
		refusedByRule: Partial<Record<RefusalReason, number>>;
		refusedUpdates: number;
	};
	/**
	 * The facilitator's rules (phase, lock), the server-owned parts of the document, and the
	 * board's rules (shapes, limits, authorship, provenance).
	 */
	judge(conn: Connection, room: Room, update: Uint8Array): PolicyVerdict;
	closed(conn: Connection): void;
}

export interface ConnectionInfo {
	boardId: string;
	sessionId: string;
	role: BoardRole;
	user: PresenceIdentity;
	ip: string;
	wantsSaved: boolean;
}

/** Client ids reported in "saved" messages per connection (its own, and a few it wrote for). */
const MAX_REPORTED_CLIENTS = 8;

/**
 * One client's socket on one board. Messages are handled strictly in order through a queue, so
 * an update waiting for its worker test (or a rate-limit pause) holds back everything after it.
 * Any malformed or refused input closes this connection only (WS-06).
 */
export class Connection {
	readonly boardId: string;
	readonly sessionId: string;
	readonly user: PresenceIdentity;
	readonly ip: string;
	readonly wantsSaved: boolean;
	role: BoardRole;
	canWrite: boolean;
	room: Room | null = null;
	/** Yjs client ids this connection speaks for: reported in "saved" messages. */
	readonly clientIds = new Set<number>();
	/** Awareness client ids it currently owns (WS-11). */
	ownedClients = 0;
	/** Awareness entries for others' client ids that were ignored. */
	foreignAwareness = 0;
	/** Updates dropped because the connection is read-only (WS-05). */
	droppedWrites = 0;
	/** Rules this connection's updates were refused for (each logged once). */
	readonly refusedFor = new Set<RefusalReason>();
	/** Cleared by each ping, set by the pong (or any message): a dead peer fails one round. */
	alive = true;
	closed = false;
	/** Sent the stored rows its room was loaded from, before the room existed (`prime`). */
	primed = false;

	private readonly queue: Uint8Array[] = [];
	private busy = false;
	private throttle: NodeJS.Timeout | null = null;
	private savedQueued = false;
	private readonly messages: TokenBucket;
	private readonly bytes: TokenBucket;
	private readonly syncRequests: TokenBucket;

	constructor(
		readonly ws: WebSocket,
		info: ConnectionInfo,
		private readonly host: ConnectionHost
	) {
		this.boardId = info.boardId;
		this.sessionId = info.sessionId;
		this.user = info.user;
		this.ip = info.ip;
		this.wantsSaved = info.wantsSaved;
		this.role = info.role;
		this.canWrite = roleAllows(info.role, 'edit');
		const l = host.limits;
		this.messages = new TokenBucket(l.messagesPerSecond, l.messageBurst);
		this.bytes = new TokenBucket(l.bytesPerSecond, l.byteBurst);
		this.syncRequests = new TokenBucket(l.syncRequestsPerSecond, l.syncRequestBurst);
		ws.on('message', (data, isBinary) => this.receive(data, isBinary));
		ws.on('pong', () => (this.alive = true));
		// ws reports protocol violations (bad frames, oversized messages → 1009) here and then
		// closes the socket itself; the process must never see them as uncaught errors.
		ws.on('error', (e) => this.host.log('socket-error', { ...this.fields(), error: e.message }));
		ws.on('close', (code) => {
			this.closed = true;
			this.queue.length = 0;
			if (this.throttle) clearTimeout(this.throttle);
			this.room?.removeConnection(this);
			this.host.log('close', { ...this.fields(), code });
			this.host.closed(this);
		});
	}

	/** The board is loaded: join it and start handling what arrived meanwhile. */
	attach(room: Room): void {
		if (this.closed) return;
		this.room = room;
		room.addConnection(this);
		this.pump();
	}

	/**
	 * Its board is being loaded and the stored rows are read: they go to the client at once
	 * (`primeMessages`), before the server has applied them itself. On a cold board that apply is
	 * most of the first client's wait (G6). The rows are committed and were verified as read
	 * (store.ts); the client's own SyncStep1 is later answered with only what the room gained
	 * since (`Room.diffFor`). Resolves once the bytes are handed to the kernel.
	 */
	prime(messages: readonly Uint8Array[]): Promise<void> {
		if (this.closed || this.ws.readyState !== this.ws.OPEN) return Promise.resolve();
		this.primed = true;
		return new Promise((resolve) => {
			messages.forEach((m, i) =>
				this.ws.send(m, i === messages.length - 1 ? () => resolve() : undefined)
			);
		});
	}

	setRole(role: BoardRole): void {
		this.role = role;
		const writable = roleAllows(role, 'edit');
		const promoted = writable && !this.canWrite;
		this.canWrite = writable;
		// Writable again: ask for the client's state so edits it kept locally reach the board.
		if (promoted) this.room?.requestClientState(this);
	}

	send(msg: Uint8Array): void {
		if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
		// A reader this far behind only grows the server's memory (WS-10); it will resync later.
		if (this.ws.bufferedAmount > this.host.limits.maxBufferedBytes) {
			this.host.log('slow-consumer', this.fields());
			this.terminate();
			return;
		}
		this.ws.send(msg);
	}

	close(code: number, reason: string): void {
		if (this.closed) return;
		this.closed = true;
		this.queue.length = 0;
		this.host.log('closing', { ...this.fields(), code, reason });
		// A socket paused by the rate limit or a full queue would not read the client's answer
		// to the close frame, and the handshake would wait for ws's 30 s close timeout; what
		// arrives from now on is dropped by receive().
		if (this.throttle) clearTimeout(this.throttle);
		this.throttle = null;
		if (this.ws.isPaused) this.ws.resume();
		this.ws.close(code, reason);
	}

	terminate(): void {
		this.closed = true;
		this.queue.length = 0;
		this.ws.terminate();
	}

	fields(): Record<string, string | number> {
		return { board: this.boardId, user: this.user.id, ip: this.ip };
	}

	private receive(data: RawData, isBinary: boolean): void {
		if (this.closed) return;
		this.alive = true;
		// y-websocket only ever sends binary frames.
		if (!isBinary) return this.close(1003, 'binary messages only');
		const frame = toBytes(data);
		this.queue.push(frame);
		const l = this.host.limits;
		if (this.queue.length > l.queueCloseAt) return this.close(1008, 'too many messages queued');
		if (this.queue.length >= l.queuePauseAt) this.ws.pause();
		this.pump();
	}

	private pump(): void {
		while (!this.busy && !this.closed && this.room && this.queue.length > 0) {
			const frame = this.queue[0] as Uint8Array;
			const costly = isSyncRequest(frame);
			// WS-10: over the rate, the connection is slowed down (its socket paused), not served.
			const wait = Math.max(
				this.messages.wait(1),
				this.bytes.wait(frame.length),
				costly ? this.syncRequests.wait(1) : 0
			);
			if (wait > 0) {
				this.busy = true;
				this.ws.pause();
				this.throttle = setTimeout(() => {
					this.throttle = null;
					this.busy = false;
					this.pump();
				}, wait);
				return;
			}
			this.queue.shift();
			this.messages.charge(1);
			this.bytes.charge(frame.length);
			if (costly) this.syncRequests.charge(1);
			const pending = this.handleSafely(frame);
			if (pending) {
				this.busy = true;
				void pending.then(() => {
					this.busy = false;
					this.pump();
				});
				return;
			}
		}
		if (!this.busy && this.queue.length < this.host.limits.queuePauseAt / 2 && this.ws.isPaused)
			this.ws.resume();
	}

	private handleSafely(frame: Uint8Array): Promise<void> | void {
		try {
			const pending = this.handle(frame);
			return pending?.catch((e: unknown) => this.fail(e));
		} catch (e) {
			this.fail(e);
		}
	}

	/** Unexpected errors are logged once and end this connection, never the process. */
	private fail(e: unknown): void {
		this.host.log('error', { ...this.fields(), error: e instanceof Error ? e.message : String(e) });
		this.close(1011, 'internal error');
	}

	private handle(frame: Uint8Array): Promise<void> | void {
		const room = this.room as Room;
		let msg;
		try {
			msg = readClientMessage(frame);
		} catch (e) {
			if (e instanceof MalformedMessage) return this.refuse(1002, 'malformed message');
			if (e instanceof UnsupportedMessage) return this.refuse(1003, 'unsupported message');
			throw e;
		}
		switch (msg.kind) {
			case 'sync-step1': {
				const reply = syncStep2Message(room.diffFor(msg.stateVector, this.primed));
				room.afterCommit(() => this.send(reply));
				return;
			}
			case 'sync-step2':
			case 'update':
				return this.receiveUpdate(room, msg.update);
			case 'awareness': {
				const verdict = room.applyClientAwareness(this, msg.update);
				if (!verdict.ok) return this.refuse(verdict.code, verdict.reason);
				if (verdict.introduced) this.queueSavedReport(room);
				return;
			}
			case 'query-awareness':
				this.send(
					awarenessMessage(encodeAwarenessUpdate(room.awareness, [...room.awareness.states.keys()]))
				);
		}
	}

	private receiveUpdate(room: Room, update: Uint8Array): Promise<void> | void {
		// WS-05: SyncStep2 and Update both carry document changes; observers send neither.
		if (!this.canWrite) {
			if (this.droppedWrites++ === 0) this.host.log('read-only-update-dropped', this.fields());
			this.host.stats.droppedReadOnly++;
			return;
		}
		const check = checkUpdate(update);
		if (!check.ok) return this.refuse(1002, `invalid update: ${check.reason}`);
		if (update.length >= this.host.limits.trialThresholdBytes)
			return this.trialThenApply(room, update, check.clients);
		this.apply(room, update, check.clients);
	}

	private async trialThenApply(room: Room, update: Uint8Array, clients: number[]): Promise<void> {
		const result = await this.host.trial.run(update);
		if (this.closed || room.state !== 'open') return;
		if (result === 'busy') return this.refuse(1013, 'server busy, try again');
		if (result !== 'ok') return this.refuse(1008, `update refused (${result})`);
		this.apply(room, update, clients);
	}

	private apply(room: Room, update: Uint8Array, clients: number[]): void {
		const started = performance.now();
		const budget = this.host.cpuBudget(this.user.id);
		const allowed = this.host.judge(this, room, update);
		if (!allowed.ok) {
			// Judging costs server time too: a stream of refused updates spends the same budget.
			budget.charge(performance.now() - started);
			this.refuseUpdate(room, allowed.reason, allowed.detail, clients);
			if (budget.exhausted) this.refuse(1008, 'update cost budget exceeded');
			return;
		}
		const verdict = room.applyClientUpdate(this, update);
		budget.charge(performance.now() - started);
		if (!verdict.ok) return this.refuse(verdict.code, verdict.reason);
		if (budget.exhausted) return this.refuse(1008, 'update cost budget exceeded');
		for (const c of clients) {
			if (this.clientIds.size >= MAX_REPORTED_CLIENTS) break;
			this.clientIds.add(c);
		}
		this.queueSavedReport(room);
	}

	/**
	 * An update that breaks a rule is refused whole: nothing of it is applied, stored or
	 * broadcast. The connection stays open — closing would only make an honest client (a stale
	 * tab, a race with a phase change) reconnect and resend the same change — and a client that
	 * understands it is told (MESSAGE_REFUSED) so it can resync instead of staying diverged.
	 */
	private refuseUpdate(
		room: Room,
		reason: RefusalReason,
		detail: string | undefined,
		clients: number[]
	): void {
		const stats = this.host.stats.refusedByRule;
		stats[reason] = (stats[reason] ?? 0) + 1;
		if (!this.refusedFor.has(reason)) {
			this.refusedFor.add(reason);
			this.host.log('update-refused', { ...this.fields(), reason, detail: detail ?? '' });
		}
		if (!this.wantsSaved) return;
		// The update's own clients, and the ones this connection wrote for before (a refused
		// update of deletes only names no client).
		const clocks = new Map<number, number>();
		for (const c of [...clients, ...this.clientIds]) clocks.set(c, Y.getState(room.doc.store, c));
		this.send(refusedMessage(reason, clocks));
	}

	private refuse(code: number, reason: string): void {
		this.host.stats.refusedUpdates++;
		this.close(code, reason);
	}

	/**
	 * Opt-in "saved" report: for each client id this connection speaks for, its clock in the
	 * document now — sent once that is committed. The browser compares it with its own clock
	 * (src/lib/collab/saved.ts).
	 */
	private queueSavedReport(room: Room): void {
		if (!this.wantsSaved || this.savedQueued) return;
		this.savedQueued = true;
		// Queued behind the update just applied; later updates get a report of their own.
		queueMicrotask(() => {
			this.savedQueued = false;
			const clocks = new Map<number, number>();
			for (const id of this.clientIds) clocks.set(id, Y.getState(room.doc.store, id));
			const msg = savedMessage(clocks);
			room.afterCommit(() => this.send(msg));
		});
	}
}

/** SyncStep1 and awareness queries make the server send a lot back (amplification, WS-10). */
function isSyncRequest(frame: Uint8Array): boolean {
	return (
		(frame[0] === MESSAGE_SYNC && frame[1] === SYNC_STEP1) || frame[0] === MESSAGE_QUERY_AWARENESS
	);
}

function toBytes(data: RawData): Uint8Array {
	if (Array.isArray(data)) return Buffer.concat(data);
	if (data instanceof ArrayBuffer) return new Uint8Array(data);
	return data;
}
