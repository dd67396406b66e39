import { EventEmitter } from 'node:events';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { generateBoardId } from '../../src/lib/domain/board/id';
import type { BoardRole } from '../../src/lib/domain/board/roles';
import type { App, AppEvents } from '../../src/lib/server/app';
import { createSession } from '../../src/lib/server/auth/sessions';
import { createAuthThrottles } from '../../src/lib/server/auth/throttle';
import { startCollab, closeCollab, type CollabLimits } from '../../src/lib/server/collab/index';
import type { CollabServer } from '../../src/lib/server/collab/server';
import { readConfig } from '../../src/lib/server/config';
import type { Db } from '../../src/lib/server/db/connect';
import { pgDb } from '../../src/lib/server/db/postgres';
import { EventListener } from '../../src/lib/server/events/listener';
import { handleUpgrade, refusePlainCollabRequest } from '../../src/lib/server/http/upgrade';
import { tempDb, type TempDb } from './db';
import { createUser, type TestUser } from './users';

/** Test limits: short timers so idle unloads and re-checks happen within a test. */
export const FAST: Partial<CollabLimits> = { unloadAfterMs: 200, heartbeatMs: 60_000 };

export interface Member {
	user: TestUser;
	token: string;
	sessionId: string;
}

export interface TestServer {
	app: App;
	collab: CollabServer;
	db: Db;
	/** SQLite's raw connection (sqlite project only: throws on PostgreSQL). */
	readonly sqlite: TempDb['sqlite'];
	dialect: TempDb['dialect'];
	dbPath: string;
	port: number;
	origin: string;
	wsBase: string;
	log: { event: string; fields: Record<string, string | number> }[];
	http: Server;
	/** A board with the given members (user ids); returns its id. */
	board(members?: [Member, BoardRole][]): Promise<string>;
	member(): Promise<Member>;
	close(): Promise<void>;
}

/**
 * A real HTTP server on a random loopback port with the production upgrade handler, a real
 * SQLite file, and the realtime server started with `limits`.
 *
 * `peerOf` (PostgreSQL only): a second "process" on the first one's database — its own pool,
 * board log connection and event listener, as a separate Yoriai process would have.
 */
export async function startTestServer(
	limits: Partial<CollabLimits> = {},
	opts: { peerOf?: TestServer } = {}
): Promise<TestServer> {
	const t = opts.peerOf ? peerDb(opts.peerOf) : await tempDb();
	const http = createServer((req, res) => {
		if (refusePlainCollabRequest(req, res)) return;
		res.writeHead(404).end();
	});
	await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
	const port = (http.address() as AddressInfo).port;
	const origin = `http://localhost:${port}`;
	const config = {
		...readConfig({ PORT: String(port), ORIGIN: origin }),
		...(t.dialect === 'postgres' ? { databaseUrl: t.path } : { databasePath: t.path })
	};
	const events = new EventEmitter<AppEvents>();
	// On PostgreSQL every test server hears the others' events, as production processes do.
	const listener = t.handle.dialect === 'postgres' ? new EventListener(t.handle, events) : null;
	await listener?.listening();
	const app: App = {
		config,
		db: t.db,
		database: t.handle,
		throttles: createAuthThrottles(1, t.handle.dialect === 'postgres' ? t.db : undefined),
		secret: opts.peerOf?.app.secret ?? crypto.getRandomValues(new Uint8Array(32)),
		events,
		now: () => Date.now(),
		...(listener ? { listener, processId: listener.processId } : {})
	};
	const log: TestServer['log'] = [];
	const collab = startCollab(app, {
		limits: { ...FAST, ...limits },
		log: (event, fields) => log.push({ event, fields })
	});
	http.on('upgrade', (req, socket, head) => handleUpgrade(app, req, socket, head));
	let userCount = 0;
	return {
		app,
		collab,
		db: t.db,
		get sqlite() {
			return t.sqlite;
		},
		dialect: t.dialect,
		dbPath: t.path,
		port,
		origin,
		wsBase: `ws://localhost:${port}/collab`,
		log,
		http,
		async member() {
			userCount++;
			const user = await createUser(t.db, { displayName: `参加者 ${userCount}` });
			const { token, session } = await createSession(t.db, user.id, Date.now(), 'test');
			return { user, token, sessionId: session.id };
		},
		async board(members = []) {
			const id = generateBoardId();
			const creator = members[0]?.[0].user.id ?? (await createUser(t.db)).id;
			await t.db
				.insertInto('boards')
				.values({
					id,
					title: 'テスト',
					template: '{}',
					created_by: creator,
					created_at: Date.now()
				})
				.execute();
			for (const [m, role] of members)
				await t.db
					.insertInto('board_members')
					.values({ board_id: id, user_id: m.user.id, role, added_by: null, added_at: Date.now() })
					.execute();
			return id;
		},
		async close() {
			await closeCollab(app);
			await listener?.close();
			http.closeAllConnections();
			await new Promise<void>((resolve) => http.close(() => resolve()));
			await t.cleanup();
		}
	};
}

/** Another pool on a test server's PostgreSQL database; closing it leaves the database. */
function peerDb(first: TestServer): TempDb {
	if (first.dialect !== 'postgres') throw new Error('a second process needs PostgreSQL');
	const handle = pgDb(first.dbPath, {
		poolSize: 10,
		statementTimeoutMs: 30_000,
		connectRetryMs: 0
	});
	return {
		dialect: 'postgres',
		db: handle.db,
		handle,
		path: first.dbPath,
		get sqlite(): TempDb['sqlite'] {
			throw new Error('PostgreSQL only');
		},
		cleanup: () => handle.db.destroy()
	};
}

export const COOKIE = '__Host-yoriai_session';

export function headersFor(s: TestServer, token: string | null, origin = s.origin) {
	const h: Record<string, string> = { Origin: origin };
	if (token) h.Cookie = `${COOKIE}=${token}`;
	return h;
}

/** A `ws` class that sends our headers, for WebsocketProvider's WebSocketPolyfill option. */
export function socketClass(headers: Record<string, string>): typeof globalThis.WebSocket {
	class WithHeaders extends WebSocket {
		constructor(url: string | URL, protocols?: string | string[]) {
			super(url, protocols, { headers });
		}
	}
	return WithHeaders as unknown as typeof globalThis.WebSocket;
}

// Each Node WebsocketProvider adds a process 'exit' listener; tests open dozens.
process.setMaxListeners(200);

/** The stock y-websocket client, authenticated by cookie. BroadcastChannel is off: in Node it
 * would connect providers in one process directly, bypassing the server under test. */
export function connect(
	s: TestServer,
	m: Member,
	boardId: string,
	opts: { doc?: Y.Doc; params?: Record<string, string> } = {}
): WebsocketProvider {
	return new WebsocketProvider(s.wsBase, boardId, opts.doc ?? new Y.Doc(), {
		WebSocketPolyfill: socketClass(headersFor(s, m.token)),
		disableBc: true,
		params: opts.params ?? {},
		maxBackoffTime: 200
	});
}

/** Ends a provider and its document (the provider leaves its awareness timer to the doc). */
export function disconnect(p: WebsocketProvider): void {
	p.destroy();
	p.doc.destroy();
}

export function synced(p: WebsocketProvider, ms = 5000): Promise<void> {
	if (p.synced) return Promise.resolve();
	return new Promise((resolve, reject) => {
		const t = setTimeout(() => reject(new Error('not synced in time')), ms);
		p.once('sync', () => {
			clearTimeout(t);
			resolve();
		});
	});
}

export type Handshake =
	| { status: number; body: string }
	| { status: 101; ws: WebSocket; messages: Uint8Array[]; closed: Promise<number> };

/** A raw handshake: the HTTP status of a refusal, or an open socket collecting messages. */
export function rawConnect(url: string, headers: Record<string, string>): Promise<Handshake> {
	return new Promise((resolve) => {
		const ws = new WebSocket(url, { headers });
		ws.binaryType = 'nodebuffer';
		ws.on('unexpected-response', (_req, res) => {
			let body = '';
			res.on('data', (c: Buffer) => (body += c.toString()));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
		});
		ws.on('error', () => resolve({ status: 0, body: 'socket error' }));
		const messages: Uint8Array[] = [];
		ws.on('message', (d: Buffer) => messages.push(new Uint8Array(d)));
		const closed = new Promise<number>((r) => ws.on('close', (code) => r(code)));
		ws.on('open', () => resolve({ status: 101, ws, messages, closed }));
	});
}

export async function openRaw(
	s: TestServer,
	m: Member,
	boardId: string
): Promise<Extract<Handshake, { ws: WebSocket }>> {
	const h = await rawConnect(`${s.wsBase}/${boardId}`, headersFor(s, m.token));
	if (!('ws' in h)) throw new Error(`handshake refused: ${h.status} ${h.body}`);
	return h;
}

export async function waitFor(cond: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
	const end = Date.now() + ms;
	while (!cond()) {
		if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 10));
	}
}

export function sleep(ms: number): Promise<void> {
	return new Promise((r) => setTimeout(r, ms));
}

/** Rows of a board's update log. */
export async function logRows(db: Db, boardId: string): Promise<number> {
	const r = await db
		.selectFrom('collab_updates')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('board_id', '=', boardId)
		.executeTakeFirstOrThrow();
	return Number(r.n);
}

/**
 * A handshake with the request target sent byte for byte (a WebSocket client would normalise
 * `..` and percent-escapes away): the HTTP status the server answers, or 0 if it hung up.
 */
export function upgradeStatus(
	port: number,
	path: string,
	headers: Record<string, string>
): Promise<number> {
	return new Promise((resolve) => {
		const req = request({
			port,
			host: '127.0.0.1',
			path,
			headers: {
				...headers,
				Connection: 'Upgrade',
				Upgrade: 'websocket',
				'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
				'Sec-WebSocket-Version': '13'
			}
		});
		req.on('response', (res) => {
			res.resume();
			resolve(res.statusCode ?? 0);
		});
		req.on('upgrade', (_res, socket) => {
			socket.destroy();
			resolve(101);
		});
		req.on('error', () => resolve(0));
		req.end();
	});
}

/** `[0, step, update]`: a sync message (step 1 = SyncStep2, step 2 = Update). */
export function syncFrame(step: number, payload: Uint8Array): Uint8Array {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, 0);
	encoding.writeVarUint(e, step);
	encoding.writeVarUint8Array(e, payload);
	return encoding.toUint8Array(e);
}

/** `[1, awareness update]` with the given entries. */
export function awarenessFrame(
	entries: { clientId: number; clock: number; state: unknown }[]
): Uint8Array {
	const inner = encoding.createEncoder();
	encoding.writeVarUint(inner, entries.length);
	for (const en of entries) {
		encoding.writeVarUint(inner, en.clientId);
		encoding.writeVarUint(inner, en.clock);
		encoding.writeVarString(inner, JSON.stringify(en.state));
	}
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, 1);
	encoding.writeVarUint8Array(e, encoding.toUint8Array(inner));
	return encoding.toUint8Array(e);
}

/** A valid update made on a scratch document. */
export function scratchUpdate(change: (doc: Y.Doc) => void): Uint8Array {
	const doc = new Y.Doc();
	change(doc);
	const u = Y.encodeStateAsUpdate(doc);
	doc.destroy();
	return u;
}

/** The non-empty document updates (SyncStep2 or Update) among a raw client's messages. */
export function receivedUpdates(messages: Uint8Array[]): Uint8Array[] {
	const out: Uint8Array[] = [];
	for (const m of messages) {
		const d = decoding.createDecoder(m);
		if (decoding.readVarUint(d) !== 0 || decoding.readVarUint(d) === 0) continue;
		const u = decoding.readVarUint8Array(d);
		if (u.length > 2) out.push(u);
	}
	return out;
}
