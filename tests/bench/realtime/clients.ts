import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import type { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { socketClass } from '../../helpers/collab';
import { MESSAGE_SAVED } from '../../../src/lib/collab/saved';
import type { Kind } from './servers';

/**
 * Where a client connects: a server of the realtime benchmark (servers.ts `Running`), or one
 * address of the cluster benchmark (nginx, or one Yoriai process straight), whose processes all
 * expect the Origin of the address browsers use (nginx's), given as `origin`.
 */
export interface Endpoint {
	kind: Kind;
	port: number;
	origin?: string;
}

/** A full Yjs client of any of the three servers, behind one interface. */
export interface Client {
	doc: Y.Doc;
	awareness: Awareness;
	synced(): boolean;
	whenSynced(timeoutMs?: number): Promise<void>;
	disconnect(): void;
	connect(): void;
	destroy(): void;
}

const cookie = (token: string) => `__Host-yoriai_session=${token}`;

function urlBase(s: Endpoint): string {
	return s.kind === 'ours' ? `ws://127.0.0.1:${s.port}/collab` : `ws://127.0.0.1:${s.port}`;
}

export function ourHeaders(s: Endpoint, token: string): Record<string, string> {
	return { Origin: s.origin ?? `http://127.0.0.1:${s.port}`, Cookie: cookie(token) };
}

/**
 * The stock client of each server: y-websocket's WebsocketProvider for ours and the reference
 * y-websocket server, HocuspocusProvider (one socket per client) for Hocuspocus.
 */
export function fullClient(s: Endpoint, room: string, token: string, doc = new Y.Doc()): Client {
	if (s.kind === 'hp') return hocuspocusClient(s, room, doc);
	const headers: Record<string, string> =
		s.kind === 'ours' ? ourHeaders(s, token) : { Origin: 'http://127.0.0.1' };
	const p = new WebsocketProvider(urlBase(s), room, doc, {
		WebSocketPolyfill: socketClass(headers),
		disableBc: true,
		maxBackoffTime: 500
	});
	return {
		doc,
		awareness: p.awareness,
		synced: () => p.synced,
		whenSynced: (ms = 30_000) => waitUntil(() => p.synced, ms, `${s.kind} sync`),
		disconnect: () => p.disconnect(),
		connect: () => p.connect(),
		destroy: () => {
			p.destroy();
			doc.destroy();
		}
	};
}

function hocuspocusClient(s: Endpoint, room: string, doc: Y.Doc): Client {
	const socket = new HocuspocusProviderWebsocket({
		url: urlBase(s),
		WebSocketPolyfill: WebSocket,
		maxDelay: 500
	});
	const p = new HocuspocusProvider({
		websocketProvider: socket,
		name: room,
		document: doc,
		token: 'x'
	});
	// A provider on a shared socket does nothing until attached.
	p.attach();
	return {
		doc,
		awareness: p.awareness as Awareness,
		synced: () => p.isSynced,
		whenSynced: (ms = 30_000) => waitUntil(() => p.isSynced, ms, 'hp sync'),
		disconnect: () => socket.disconnect(),
		connect: () => void socket.connect(),
		destroy: () => {
			p.destroy();
			socket.destroy();
			doc.destroy();
		}
	};
}

/**
 * A thin client for rooms too large for full Yjs clients in one harness process: it completes
 * the handshake and the sync exchange, then only reads message types and the latency tags in
 * updates, without applying anything (realtime-benchmarks.md, side-by-side method 4).
 */
export class ThinClient {
	readonly ws: WebSocket;
	syncedAt: number | null = null;
	openedAt: number | null = null;
	closedWith: number | null = null;
	onUpdate: ((payload: Uint8Array) => void) | null = null;
	/** The SyncStep2 payloads (the state the server sends in answer to our SyncStep1). */
	onSyncStep2: ((payload: Uint8Array) => void) | null = null;
	/** Yoriai's saved reports (src/lib/collab/saved.ts), for a client made with `saved`. */
	onSaved: ((report: decoding.Decoder) => void) | null = null;
	private readonly started = performance.now();

	/** `saved`: ask ours for saved reports (`?saved=1`), the acknowledgements of durability. */
	constructor(s: Endpoint, room: string, token: string, opts: { saved?: boolean } = {}) {
		const headers = s.kind === 'ours' ? ourHeaders(s, token) : { Origin: 'http://127.0.0.1' };
		const query = opts.saved ? '?saved=1' : '';
		this.ws = new WebSocket(`${urlBase(s)}/${room}${query}`, {
			headers,
			perMessageDeflate: false
		});
		this.ws.on('open', () => {
			this.openedAt = performance.now();
			const e = encoding.createEncoder();
			encoding.writeVarUint(e, 0);
			encoding.writeVarUint(e, 0);
			encoding.writeVarUint8Array(e, Uint8Array.of(0));
			this.ws.send(encoding.toUint8Array(e));
		});
		this.ws.on('message', (data: Buffer) => this.receive(new Uint8Array(data)));
		this.ws.on('close', (code) => (this.closedWith = code));
		this.ws.on('error', () => undefined);
	}

	/** Milliseconds from construction to the server's SyncStep2. */
	get syncMs(): number | null {
		return this.syncedAt === null ? null : this.syncedAt - this.started;
	}

	whenSynced(ms = 30_000): Promise<void> {
		return waitUntil(() => this.syncedAt !== null, ms, 'thin sync');
	}

	send(frame: Uint8Array): void {
		if (this.ws.readyState === WebSocket.OPEN) this.ws.send(frame);
	}

	close(): void {
		this.ws.terminate();
	}

	private receive(m: Uint8Array): void {
		const d = decoding.createDecoder(m);
		const type = decoding.readVarUint(d);
		if (type === MESSAGE_SAVED) this.onSaved?.(d);
		if (type !== 0) return;
		const step = decoding.readVarUint(d);
		if (step === 1) {
			this.syncedAt ??= performance.now();
			this.onSyncStep2?.(decoding.readVarUint8Array(d));
		}
		if (step === 2 && this.onUpdate) this.onUpdate(decoding.readVarUint8Array(d));
	}
}

/** `[0, 2, update]`, a y-websocket Update message. */
export function updateFrame(update: Uint8Array): Uint8Array {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, 0);
	encoding.writeVarUint(e, 2);
	encoding.writeVarUint8Array(e, update);
	return encoding.toUint8Array(e);
}

/** Latency tags: writers put `@<op id>@` in their edits; receivers find them in the bytes. */
export function tag(id: number): string {
	return `@${id}@`;
}

export function tagsIn(bytes: Uint8Array): number[] {
	const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
	const out: number[] = [];
	for (const m of text.matchAll(/@(\d+)@/gu)) out.push(Number(m[1]));
	return out;
}

export async function waitUntil(cond: () => boolean, ms: number, what: string): Promise<void> {
	const end = performance.now() + ms;
	while (!cond()) {
		if (performance.now() > end) throw new Error(`timed out: ${what}`);
		await new Promise((r) => setTimeout(r, 5));
	}
}
