import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { CompiledQuery } from 'kysely';
import { WebSocketServer, type WebSocket } from 'ws';
import * as Y from 'yjs';
import type { Phase } from '../../domain/board/facilitation';
import type { BoardRole } from '../../domain/board/roles';
import type { App } from '../app';
import { SESSION_ABSOLUTE } from '../auth/sessions';
import { Connection, type ConnectionHost } from './connection';
import { ConnectionIndex } from './connection-index';
import { DEFAULT_LIMITS, type CollabLimits } from './limits';
import { structuredLog, type CollabLog } from './log';
import { prewarmYjs } from './prewarm';
import { refuseUpgrade } from './refuse';
import { RoomRegistry } from './registry';
import { LogWriter, type LogCommitter } from './log-writer';
import { BoardOwnedElsewhere, PgBoardLog } from './pg-board-log';
import { sendApply } from './internal-apply';
import type { Room } from './room';
import { relayedClient, relayUpgrade } from './relay';
import { BoardNeedsRepair, CollabStore, materialize, type LogReader } from './store';
import { authorizeUpgrade, parseCollabPath, type Admitted } from './upgrade-auth';
import { UpdateTrial } from './update-trial';
import { BoardPolicies, FACILITATION_ORIGIN, type RefusalReason } from './policy';

/** The parts of the running app the realtime server uses. */
export type CollabApp = Pick<App, 'config' | 'db' | 'database' | 'events' | 'now' | 'processId'>;

export interface CollabOptions {
	limits?: Partial<CollabLimits>;
	log?: CollabLog;
	/**
	 * Compile Yjs's hot paths and start the log writer before serving, so the first board loaded
	 * and the first edit acknowledged after a restart do not pay for either (production start-up;
	 * tests skip it).
	 */
	prewarm?: boolean;
	/** Told the duration of every group commit (metrics); see RoomRegistry. */
	onCommit?: (seconds: number, updates: number) => void;
}

/**
 * Where boards are read from and committed to: on SQLite the app's connection and a worker
 * thread with its own (log-writer.ts), on PostgreSQL one dedicated connection (pg-board-log.ts).
 */
function boardLog(
	app: CollabApp,
	onLost: () => void
): { reader: LogReader; writer: LogCommitter; pg: PgBoardLog | null } {
	if (app.database.dialect === 'postgres') {
		const self = {
			processId: app.processId ?? randomUUID(),
			address: app.config.internal?.url.origin ?? null
		};
		const log = new PgBoardLog(app.db, app.database, self, onLost);
		return { reader: log, writer: log, pg: log };
	}
	return {
		reader: new CollabStore(app.db, app.database.sqlite),
		writer: new LogWriter(app.config.databasePath),
		pg: null
	};
}

/** Where an upgrade for a board is served: here, by relaying to its owner, or nowhere now. */
type Route =
	{ here: true } | { here: false; owner: URL; backend: number } | { here: false; owner: null };

/** SQLite's limit on bound parameters is far above this; chunks keep each query small. */
const QUERY_CHUNK = 500;

/**
 * The realtime server: `/collab/<boardId>` upgrades on the app's own HTTP server, speaking the
 * y-websocket protocol. Owns the ws server (no HTTP server of its own), the board registry, the
 * connection index, and the timers that re-check sessions and heartbeats.
 */
export class CollabServer {
	readonly limits: CollabLimits;
	readonly registry: RoomRegistry;
	readonly connections: ConnectionIndex;
	readonly stats = {
		droppedReadOnly: 0,
		refusedByRule: {} as Partial<Record<RefusalReason, number>>,
		refusedUpdates: 0,
		refusedUpgrades: 0
	};
	readonly policies: BoardPolicies;
	private readonly wss: WebSocketServer;
	private readonly trial: UpdateTrial;
	private readonly log: CollabLog;
	private readonly timers: NodeJS.Timeout[] = [];
	private readonly host: ConnectionHost;
	/** On PostgreSQL: the board log, through which this process owns boards. */
	private readonly pg: PgBoardLog | null;
	/** Sockets this process relays to other processes, each with its owner's database backend. */
	private readonly relayed = new Map<Duplex, number>();
	private closing = false;

	constructor(
		private readonly app: CollabApp,
		options: CollabOptions = {}
	) {
		this.limits = { ...DEFAULT_LIMITS, ...options.limits };
		if (options.prewarm) prewarmYjs();
		this.log = options.log ?? structuredLog;
		const { reader, writer, pg } = boardLog(app, () =>
			// The board locks went with the connection: nothing loaded here is ours to serve.
			this.registry.abandonAll(new Error('lost the board locks'))
		);
		this.pg = pg;
		// Several processes: beat from the start, so peers never take this one for hung.
		if (pg && app.config.internal) pg.start(this.limits.ownerBeatMs);
		else if (options.prewarm) writer.start();
		this.registry = new RoomRegistry(
			this.limits,
			reader,
			writer,
			this.log,
			app.now,
			options.onCommit
		);
		this.policies = new BoardPolicies(app.db);
		this.connections = new ConnectionIndex(this.limits);
		this.trial = new UpdateTrial(
			this.limits.trialHeapMb,
			this.limits.trialBaseMs,
			this.limits.trialMsPerKiB
		);
		this.wss = new WebSocketServer({
			noServer: true,
			clientTracking: false,
			// WS-08: ws closes anything bigger with 1009 before buffering it.
			maxPayload: this.limits.maxPayloadBytes,
			// Compression costs CPU and memory per socket (and zip bombs); Yjs updates are small.
			perMessageDeflate: false
		});
		this.host = {
			limits: this.limits,
			trial: this.trial,
			log: this.log,
			stats: this.stats,
			cpuBudget: (userId) => this.connections.cpuBudget(userId),
			judge: (conn, room, update) =>
				this.policies.judge(
					conn.boardId,
					{ id: conn.user.id, name: conn.user.name, role: conn.role },
					room.doc,
					update
				),
			closed: (conn) => this.connections.remove(conn)
		};
		app.events.on('sessions-revoked', this.onSessionsRevoked);
		app.events.on('membership-changed', this.onMembershipChanged);
		app.events.on('facilitation-changed', this.onFacilitationChanged);
		app.events.on('resync', this.onResync);
		this.every(this.limits.heartbeatMs, () => this.heartbeat());
		this.every(this.limits.recheckMs, () => this.recheck());
		// Several processes: a hung owner's backend is ended, so it acknowledges nothing more.
		if (pg && app.config.internal)
			this.every(this.limits.ownerBeatMs, async () => {
				for (const pid of await pg.terminateHung(this.limits.hungOwnerMs))
					this.log('terminated-hung-owner', { backend: pid });
				await this.cutOrphanedRelays(pg);
			});
	}

	/** The HTTP server's `upgrade` event for `/collab/…` (the socket already has an error handler). */
	handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
		this.upgrade(req, socket, head).catch((e: unknown) => {
			// AC-05: an unexpected failure (the database) refuses the connection.
			this.log('upgrade-error', { error: e instanceof Error ? e.message : String(e) });
			refuseUpgrade(socket, 503, 'temporarily unavailable');
		});
	}

	private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
		let ip = req.socket.remoteAddress ?? 'unknown';
		const origin = req.headers.origin ?? '-';
		if (this.closing) return refuseUpgrade(socket, 503, 'shutting down');
		const internal = this.app.config.internal;
		const target = parseCollabPath(req.url);
		// Relayed by another Yoriai process: the client's own address counts for the limits.
		const relayed =
			internal && target
				? relayedClient(req, internal.secret, target.boardId, this.app.now())
				: null;
		if (relayed === 'forged') {
			this.stats.refusedUpgrades++;
			this.log('refused', { status: 403, reason: 'forged relay', ip, origin });
			return refuseUpgrade(socket, 403, 'forbidden');
		}
		if (relayed) ip = relayed.ip;
		const decision = await authorizeUpgrade(
			{ db: this.app.db, origin: this.app.config.origin, now: this.app.now },
			req
		);
		if (!decision.ok) {
			this.stats.refusedUpgrades++;
			this.log('refused', { status: decision.status, reason: decision.reason, ip, origin });
			return refuseUpgrade(socket, decision.status, decision.reason);
		}
		// The board's rules must be known before its first update arrives.
		await this.policies.load(decision.boardId);
		if (this.closing) return refuseUpgrade(socket, 503, 'shutting down');
		if (this.pg && internal) {
			// A relayed socket is served here or not at all: never relayed a second time.
			const route = await this.route(decision.boardId, relayed === null);
			if (this.closing) return refuseUpgrade(socket, 503, 'shutting down');
			if (!route.here) {
				if (!route.owner) return refuseUpgrade(socket, 503, 'board moving, retry');
				this.log('relay', {
					board: decision.boardId,
					to: route.owner.host,
					user: decision.user.id,
					ip
				});
				const r = {
					target: route.owner,
					backend: route.backend,
					secret: internal.secret,
					ip,
					now: this.app.now()
				};
				return relayUpgrade(req, socket, head, { ...r, boardId: decision.boardId }, this.relayed);
			}
		}
		const admitted = this.connections.admits(decision.user.id, ip);
		if (admitted !== 'ok') {
			this.stats.refusedUpgrades++;
			this.log('refused', { status: 429, reason: `too many connections (${admitted})`, ip });
			return refuseUpgrade(socket, 429, 'too many connections');
		}
		this.wss.handleUpgrade(req, socket, head, (ws) => this.open(ws, decision, ip));
	}

	/**
	 * Several processes (issue 15): this process serves the board if it owns it or can take its
	 * lock now; else the owner pg_locks names, reached at its internal address — unless its last
	 * heartbeat is older than hungOwnerMs, in which case its backend is terminated (freeing the lock)
	 * and the board taken here. Null owner: not reachable now; the client retries.
	 */
	private async route(boardId: string, mayRelay: boolean): Promise<Route> {
		const pg = this.pg!;
		for (let attempt = 0; attempt < 3; attempt++) {
			if (await pg.claim(boardId)) return { here: true };
			const owner = await pg.owner(boardId);
			if (!owner) continue;
			if (owner.silentMs !== null && owner.silentMs > this.limits.hungOwnerMs) {
				this.log('terminated-hung-owner', { board: boardId, backend: owner.backendPid });
				await this.app.db.executeQuery(
					CompiledQuery.raw('select pg_terminate_backend($1)', [owner.backendPid])
				);
				await new Promise((r) => setTimeout(r, 20));
				continue;
			}
			if (!mayRelay || !owner.address) return { here: false, owner: null };
			return { here: false, owner: new URL(owner.address), backend: owner.backendPid };
		}
		return { here: false, owner: null };
	}

	/**
	 * Cuts the relayed sockets whose owner's database session has ended — a hung owner whose
	 * backend a peer terminated, or one that lost its connection. That owner can acknowledge
	 * nothing more, yet a stopped process holds its sockets open without a word, and clients
	 * only give up on a silent socket after 30 s (y-websocket): cut here, they reconnect and
	 * whichever process takes the board serves them while the old owner is still stopped. Its
	 * clients connected to it directly wait until it resumes and drops the board.
	 */
	private async cutOrphanedRelays(pg: PgBoardLog): Promise<void> {
		if (this.relayed.size === 0) return;
		const live = await pg.liveBackends([...new Set(this.relayed.values())]);
		for (const [socket, backend] of this.relayed) {
			if (live.has(backend)) continue;
			this.log('relay-cut', { backend });
			socket.destroy();
		}
	}

	private open(ws: WebSocket, d: Admitted, ip: string): void {
		const conn = new Connection(
			ws,
			{
				boardId: d.boardId,
				sessionId: d.sessionId,
				role: d.role,
				user: { id: d.user.id, name: d.user.display_name, sector: d.user.sector },
				ip,
				wantsSaved: d.wantsSaved
			},
			this.host
		);
		this.connections.add(conn);
		this.log('open', { ...conn.fields(), role: d.role });
		this.registry
			.acquire(d.boardId, (messages) => conn.prime(messages))
			.then(
				(room) => {
					conn.attach(room);
					this.registry.release(room);
				},
				(e: unknown) => {
					if (e instanceof BoardNeedsRepair) {
						// REL-04: this board is isolated; 44xx tells the client not to retry.
						this.log('board-needs-repair', { board: d.boardId, error: e.message });
						conn.close(4422, 'board needs repair');
					} else {
						this.log('load-error', { board: d.boardId, error: String(e) });
						conn.close(1011, 'internal error');
					}
				}
			);
	}

	/**
	 * The board's room here, loaded if need be — or null on PostgreSQL when another process owns
	 * the board (issue 15).
	 */
	private async roomHere(boardId: string): Promise<Room | null> {
		try {
			return await this.registry.acquire(boardId);
		} catch (e) {
			if (e instanceof BoardOwnedElsewhere) return null;
			throw e;
		}
	}

	/** A board another process serves, as committed (= as acknowledged to its clients). */
	private async committedElsewhere(boardId: string): Promise<Y.Doc> {
		return materialize(await this.pg!.readCommitted(boardId)).doc;
	}

	/** A read-only copy of the board's current document, returned once that state is durable. */
	async readDoc(boardId: string): Promise<Y.Doc> {
		const room = await this.roomHere(boardId);
		if (!room) return this.committedElsewhere(boardId);
		const copy = new Y.Doc();
		try {
			Y.applyUpdate(copy, Y.encodeStateAsUpdate(room.doc));
			await new Promise<void>((resolve, reject) => room.afterCommit(resolve, reject));
			return copy;
		} catch (e) {
			copy.destroy();
			throw e;
		} finally {
			this.registry.release(room);
		}
	}

	/**
	 * Reads the board's live document in place, without copying it: `read` runs synchronously,
	 * must not change the document, and gets a `version` that stays the same as long as the
	 * document's content does (for caching what it derives, keyed by the document). Resolves
	 * once the state read is durable, like readDoc.
	 */
	async readInPlace<T>(boardId: string, read: (doc: Y.Doc, version: number) => T): Promise<T> {
		const room = await this.roomHere(boardId);
		if (!room) {
			const doc = await this.committedElsewhere(boardId);
			try {
				return read(doc, 0);
			} finally {
				doc.destroy();
			}
		}
		try {
			const value = read(room.doc, room.applied);
			await new Promise<void>((resolve, reject) => room.afterCommit(resolve, reject));
			return value;
		} finally {
			this.registry.release(room);
		}
	}

	/**
	 * A server-side change through the same path as a client's: applied, committed, then
	 * broadcast. Resolves once it is durable. `change` must not throw (Yjs has no rollback: what
	 * it changed before throwing is kept and persisted), and this must not be awaited inside a
	 * database transaction (the commit needs the connection).
	 */
	async changeDoc(boardId: string, change: (doc: Y.Doc) => void, origin: string): Promise<void> {
		for (let attempt = 0; ; attempt++) {
			const room = await this.roomHere(boardId);
			if (room) return this.changeHere(room, change, origin);
			// Another process owns the board: the change is made on its committed state here and
			// the resulting update applied there (internal-apply.ts).
			const owner = await this.pg!.owner(boardId);
			const internal = this.app.config.internal;
			if (!owner?.address || !internal) {
				if (attempt < 3) continue;
				throw new BoardOwnedElsewhere(boardId);
			}
			const doc = await this.committedElsewhere(boardId);
			try {
				const before = Y.encodeStateVector(doc);
				doc.transact(() => change(doc), origin);
				const update = Y.encodeStateAsUpdate(doc, before);
				const answer = await sendApply(new URL(owner.address), internal.secret, {
					boardId,
					origin,
					update,
					now: this.app.now()
				});
				if (answer === 'applied') return;
			} finally {
				doc.destroy();
			}
			// It stopped owning the board meanwhile: look again.
			if (attempt >= 3) throw new BoardOwnedElsewhere(boardId);
		}
	}

	/**
	 * A change another process made on a board this one owns (changeDoc there): applied to the
	 * live document with its origin, committed and broadcast; false if the board is not ours.
	 */
	async applyFromPeer(boardId: string, update: Uint8Array, origin: string): Promise<boolean> {
		const room = await this.roomHere(boardId);
		if (!room) return false;
		try {
			if (origin === FACILITATION_ORIGIN) await this.policies.refresh([boardId]);
			Y.applyUpdate(room.doc, update, origin);
			await new Promise<void>((resolve, reject) => room.afterCommit(resolve, reject));
			return true;
		} finally {
			this.registry.release(room);
		}
	}

	private async changeHere(
		room: Room,
		change: (doc: Y.Doc) => void,
		origin: string
	): Promise<void> {
		try {
			room.doc.transact(() => change(room.doc), origin);
			await new Promise<void>((resolve, reject) => room.afterCommit(resolve, reject));
		} finally {
			this.registry.release(room);
		}
	}

	/**
	 * Archived or restored (`archived`), or frozen while a deletion checks the board: from the
	 * next update on, nobody's changes are taken — then everything taken so far is on disk.
	 */
	async setArchived(boardId: string, archived: boolean): Promise<void> {
		await this.policies.setArchived(boardId, archived);
		await this.registry.flush();
	}

	/** The board was deleted: its sockets close with 4404 (final) and its room is dropped unsaved. */
	async dropBoard(boardId: string): Promise<void> {
		await this.registry.discard(boardId, 4404, 'board deleted');
		for (const conn of this.connections.all)
			if (conn.boardId === boardId) conn.close(4404, 'board deleted');
		this.policies.forget(boardId);
	}

	/** Shutdown (DUR-08): refuse new upgrades, commit and compact, close sockets with 1012. */
	async close(): Promise<void> {
		if (this.closing) return;
		this.closing = true;
		for (const t of this.timers) clearInterval(t);
		this.app.events.off('sessions-revoked', this.onSessionsRevoked);
		this.app.events.off('membership-changed', this.onMembershipChanged);
		this.app.events.off('facilitation-changed', this.onFacilitationChanged);
		this.app.events.off('resync', this.onResync);
		await this.registry.close();
		for (const conn of this.connections.all) conn.close(1012, 'server restarting');
		// Relayed sockets reconnect, through another process, to their boards' owners.
		for (const s of this.relayed.keys()) s.destroy();
		await this.trial.close();
		// Give clients a moment to answer the close frame, then cut whoever did not.
		await waitUntil(() => this.connections.all.size === 0, 1000);
		for (const conn of this.connections.all) conn.terminate();
	}

	private readonly onSessionsRevoked = (sessionIds: string[]): void => {
		for (const id of sessionIds)
			for (const conn of this.connections.forSession(id)) conn.close(4401, 'session ended');
	};

	/** A phase or lock change applies to the very next update of every open connection. */
	private readonly onFacilitationChanged = (c: {
		boardId: string;
		phase: Phase;
		locked: boolean;
	}) => {
		this.policies.set(c.boardId, { phase: c.phase, locked: c.locked });
	};

	private readonly onMembershipChanged = (change: {
		boardId: string;
		userId: number;
		role: BoardRole | null;
	}): void => {
		for (const conn of this.connections.forUser(change.userId)) {
			if (conn.boardId !== change.boardId) continue;
			// AC-04: removal closes the socket; a role change applies to the next message.
			if (change.role === null) conn.close(4403, 'removed from board');
			else conn.setRole(change.role);
		}
	};

	/** Events from other processes may have been missed: check everything against SQL now. */
	private readonly onResync = (): void => {
		this.recheck().catch((e: unknown) =>
			this.log('timer-error', { error: e instanceof Error ? e.message : String(e) })
		);
	};

	/** WS-12: a peer that did not answer the previous ping is gone. */
	private heartbeat(): void {
		for (const conn of this.connections.all) {
			if (!conn.alive) {
				this.log('heartbeat-timeout', conn.fields());
				conn.terminate();
				continue;
			}
			conn.alive = false;
			if (conn.ws.readyState === conn.ws.OPEN) conn.ws.ping();
		}
	}

	/**
	 * WS-12: sessions expire and memberships change without an event reaching this process (a
	 * CLI, another process while this one's listener was reconnecting); every open connection and
	 * its board's rules are checked against the database periodically.
	 */
	private async recheck(): Promise<void> {
		const conns = [...this.connections.all].filter((c) => !c.closed);
		if (conns.length === 0) return;
		const now = this.app.now();
		const live = new Set<string>();
		for (const ids of chunks([...new Set(conns.map((c) => c.sessionId))])) {
			const rows = await this.app.db
				.selectFrom('sessions')
				.select(['id', 'expires_at', 'created_at'])
				.where('id', 'in', ids)
				.execute();
			for (const r of rows)
				if (now < r.expires_at && now < r.created_at + SESSION_ABSOLUTE) live.add(r.id);
		}
		const roles = new Map<string, BoardRole>();
		const boards = [...new Set(conns.map((c) => c.boardId))];
		// A phase change announced while this process could not hear it still takes effect.
		for (const ids of chunks(boards)) await this.policies.refresh(ids);
		for (const ids of chunks(boards)) {
			const rows = await this.app.db
				.selectFrom('board_members')
				.select(['board_id', 'user_id', 'role'])
				.where('board_id', 'in', ids)
				.execute();
			for (const r of rows) roles.set(`${r.board_id}:${r.user_id}`, r.role);
		}
		for (const conn of conns) {
			if (!live.has(conn.sessionId)) {
				conn.close(4401, 'session ended');
				continue;
			}
			const role = roles.get(`${conn.boardId}:${conn.user.id}`);
			if (!role) conn.close(4403, 'removed from board');
			else if (role !== conn.role) conn.setRole(role);
		}
	}

	private every(ms: number, fn: () => void | Promise<void>): void {
		const t = setInterval(() => {
			void (async () => fn())().catch((e: unknown) =>
				this.log('timer-error', { error: e instanceof Error ? e.message : String(e) })
			);
		}, ms);
		t.unref();
		this.timers.push(t);
	}
}

function chunks<T>(items: T[]): T[][] {
	const out: T[][] = [];
	for (let i = 0; i < items.length; i += QUERY_CHUNK) out.push(items.slice(i, i + QUERY_CHUNK));
	return out;
}

async function waitUntil(done: () => boolean, ms: number): Promise<void> {
	const end = performance.now() + ms;
	while (!done() && performance.now() < end) await new Promise((r) => setTimeout(r, 20));
}
