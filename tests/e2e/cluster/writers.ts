import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import {
	MESSAGE_REFUSED,
	MESSAGE_SAVED,
	readRefusal,
	readSaved,
	savedParams
} from '../../../src/lib/collab/saved';
import { generateBoardId } from '../../../src/lib/domain/board/id';
import { createSession } from '../../../src/lib/server/auth/sessions';
import { materialize, verifyStoredDoc } from '../../../src/lib/server/collab/store';
import { readStoredRows } from '../../../src/lib/server/collab/stored-rows';
import type { Db } from '../../../src/lib/server/db/connect';
import { createUser } from '../../helpers/users';
import { boardLockHolder } from '../../helpers/yoriai-cluster';
import { SESSION_COOKIE } from '../session-cookie';
import { CLUSTER, internalUrl, readState } from './harness';

/**
 * Clients and probes the cluster tests share: who owns a board, stock y-websocket writers that
 * record what the server acknowledged, and the board as committed in PostgreSQL.
 */
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The backend holding the board's advisory lock and its process's address, or null. */
async function lockHolder(
	boardId: string
): Promise<{ pid: number; address: string | null } | null> {
	const client = new pg.Client({ connectionString: readState().databaseUrl });
	await client.connect();
	try {
		return await boardLockHolder(client, boardId);
	} finally {
		await client.end();
	}
}

/** The port of the process that owns the board now (holds its advisory lock), or null. */
export async function ownerPort(boardId: string): Promise<number | null> {
	const address = (await lockHolder(boardId))?.address;
	if (!address) return null;
	const port = CLUSTER.processPorts.find((p) => internalUrl(p) === address);
	if (!port) throw new Error(`the board's owner ${address} is not one of the harness's processes`);
	return port;
}

/** The database backend holding the board's lock (the owner's board-log connection), or null. */
export async function ownerBackend(boardId: string): Promise<number | null> {
	return (await lockHolder(boardId))?.pid ?? null;
}

/** People with a session each, for boards made by `board`. */
export interface Crew {
	userIds: number[];
	tokens: string[];
}

export async function crew(db: Db, n: number): Promise<Crew> {
	const userIds: number[] = [];
	const tokens: string[] = [];
	for (let i = 0; i < n; i++) {
		const u = await createUser(db, { displayName: `書き手 ${i}` });
		userIds.push(u.id);
		tokens.push((await createSession(db, u.id, Date.now(), 'cluster')).token);
	}
	return { userIds, tokens };
}

/** A new empty board with every member of the crew as a participant. */
export async function board(db: Db, c: Crew, title = 'cluster'): Promise<string> {
	const id = generateBoardId();
	await db
		.insertInto('boards')
		.values({ id, title, template: '{}', created_by: c.userIds[0]!, created_at: 0 })
		.execute();
	await db
		.insertInto('board_members')
		.values(
			c.userIds.map((user_id) => ({
				board_id: id,
				user_id,
				role: 'participant' as const,
				added_by: null,
				added_at: 0
			}))
		)
		.execute();
	return id;
}

/** One edit a writer made: its key in the `ops` map and its own clock just after it. */
export interface Op {
	key: string;
	clock: number;
	at: number;
	/** When a saved report first covered it (null: never acknowledged). */
	ackedAt: number | null;
}

/** A saved report: when, on which of the writer's sockets (1, 2, …), and the clock it covers. */
export interface Ack {
	at: number;
	socket: number;
	clock: number;
}

/**
 * A stock y-websocket client (as the board page's) through nginx that asks for saved reports
 * and records them; it is the only client of user `userId` on its board, so the processes' logs
 * (which name the user of each socket opened or relayed) say where its sockets landed.
 */
export class Writer {
	readonly provider: WebsocketProvider;
	readonly ops: Op[] = [];
	readonly acks: Ack[] = [];
	/** Sockets opened so far: the current one is number `sockets`. */
	sockets = 0;
	/** Updates the server refused (MESSAGE_REFUSED: the rule broken). */
	readonly refusals: string[] = [];
	/** When its last socket closed. */
	private closedAt = 0;
	private typing: Promise<void> | null = null;
	private stopTyping = false;

	constructor(
		readonly index: number,
		readonly userId: number,
		token: string,
		boardId: string
	) {
		const headers = { Origin: CLUSTER.baseURL, Cookie: `${SESSION_COOKIE}=${token}` };
		const opened = () => ++this.sockets;
		class Counted extends WebSocket {
			constructor(url: string | URL, protocols?: string | string[]) {
				super(url, protocols, { headers });
				opened();
			}
		}
		this.provider = new WebsocketProvider(
			`ws://localhost:${CLUSTER.port}/collab`,
			boardId,
			new Y.Doc(),
			{
				WebSocketPolyfill: Counted as unknown as typeof globalThis.WebSocket,
				disableBc: true,
				params: savedParams(),
				// As the board page's client.
				maxBackoffTime: 5000
			}
		);
		this.provider.on('status', ({ status }: { status: string }) => {
			if (status === 'disconnected') this.closedAt = Date.now();
		});
		this.provider.messageHandlers[MESSAGE_REFUSED] = (_e, decoder) => {
			this.refusals.push(readRefusal(decoder).rule);
		};
		this.provider.messageHandlers[MESSAGE_SAVED] = (_e, decoder) => {
			const clock = readSaved(decoder, this.provider.doc.clientID);
			if (clock === 0) return;
			const at = Date.now();
			this.acks.push({ at, socket: this.sockets, clock });
			for (const op of this.ops) if (op.clock <= clock && op.ackedAt === null) op.ackedAt = at;
		};
	}

	get doc(): Y.Doc {
		return this.provider.doc;
	}

	synced(): Promise<void> {
		const p = this.provider;
		return p.synced ? Promise.resolve() : new Promise((r) => p.once('sync', () => r()));
	}

	/** Types one edit every `everyMs` until `stop`. */
	type(everyMs = 100): void {
		this.stopTyping = false;
		this.typing = (async () => {
			for (let n = this.ops.length; !this.stopTyping; n++) {
				const key = `w${this.index}n${n}`;
				this.doc.getMap('ops').set(key, n);
				const clock = Y.getState(this.doc.store, this.doc.clientID);
				this.ops.push({ key, clock, at: Date.now(), ackedAt: null });
				await sleep(everyMs);
			}
		})();
	}

	async stop(): Promise<void> {
		this.stopTyping = true;
		await this.typing;
	}

	/** Keeps the client from reconnecting when its socket closes (see `release`). */
	hold(): void {
		this.provider.shouldConnect = false;
	}

	/**
	 * Lets it reconnect again when it would have without the hold: y-websocket retries after a
	 * backoff (200 ms after a first close) with a timer that does nothing while held; if that
	 * moment has passed, it connects now.
	 */
	release(): void {
		const p = this.provider;
		p.shouldConnect = true;
		const backoff = Math.min(2 ** p.wsUnsuccessfulReconnects * 100, p.maxBackoffTime);
		if (p.ws === null && Date.now() >= this.closedAt + backoff) p.connect();
	}

	get connected(): boolean {
		return this.provider.wsconnected;
	}

	/** Keys of its edits a saved report has covered. */
	acked(): Op[] {
		return this.ops.filter((o) => o.ackedAt !== null);
	}

	/** When an edit it made after `t` was first acknowledged (null: none yet). */
	servedAfter(t: number): number | null {
		const firsts = this.ops.filter((o) => o.at > t && o.ackedAt !== null).map((o) => o.ackedAt!);
		return firsts.length > 0 ? Math.min(...firsts) : null;
	}

	destroy(): void {
		this.provider.destroy();
		this.provider.doc.destroy();
	}
}

/** The board as committed in PostgreSQL (what its owner may have acknowledged), as a document. */
export async function committedDoc(db: Db, boardId: string): Promise<Y.Doc> {
	return materialize(verifyStoredDoc({ boardId, ...(await readStoredRows(db, boardId)) })).doc;
}

/** A realtime event in a process's JSON log (server/main.ts names it `collab`). */
interface LogLine {
	time?: string;
	collab?: string;
	board?: string;
	user?: number;
}

/** The realtime events a process logged for a board (its JSON log in the harness's folder). */
function boardEvents(port: number, boardId: string): LogLine[] {
	let text: string;
	try {
		text = readFileSync(join(CLUSTER.dir, `yoriai-${port}.log`), 'utf8');
	} catch {
		return [];
	}
	return text
		.split('\n')
		.filter((l) => l.includes(boardId))
		.map((l) => {
			try {
				return JSON.parse(l) as LogLine;
			} catch {
				return {};
			}
		})
		.filter((e) => e.board === boardId);
}

/** What a process logged about a board since `since` (ms), as JSON lines: for failure reports. */
export function boardLog(port: number, boardId: string, since: number): string {
	return boardEvents(port, boardId)
		.filter((e) => Date.parse(e.time ?? '') >= since)
		.map((e) => JSON.stringify(e))
		.join('\n');
}

/**
 * Which process each writer's socket entered by, when every writer has connected exactly once
 * and `owner` serves them all: the process that logged relaying the writer's socket to the
 * owner, or the owner itself if none did. Null until the logs say so.
 */
export function entries(boardId: string, owner: number, writers: Writer[]): number[] | null {
	const opens = boardEvents(owner, boardId).filter((e) => e.collab === 'open');
	const relays = CLUSTER.processPorts.flatMap((port) =>
		boardEvents(port, boardId)
			.filter((e) => e.collab === 'relay')
			.map((e) => ({ port, user: e.user }))
	);
	const out: number[] = [];
	for (const w of writers) {
		if (opens.filter((e) => e.user === w.userId).length !== 1) return null;
		const via = relays.filter((r) => r.user === w.userId);
		if (via.length > 1) return null;
		out.push(via[0]?.port ?? owner);
	}
	return out;
}

/** Nearest-rank percentile of `values` (p in 0–100). */
export function percentile(values: number[], p: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}
