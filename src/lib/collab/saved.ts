import * as decoding from 'lib0/decoding';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

/**
 * "Saved / saving / N unsynced" for a board, from Yoriai's opt-in saved reports.
 *
 * The server echoes every update only after it is committed to disk, and — for providers
 * created with `params: savedParams()` — also sends message type 100 after each commit: for
 * this client's Yjs client id, the clock that is durably stored. Everything this tab changed up
 * to that clock survives a server crash. Stock y-websocket clients never receive the message.
 *
 * The status is a Svelte store (`$status` in components, or `fromStore`).
 */
export const MESSAGE_SAVED = 100;
/**
 * The server refused one of this client's updates (sent to the same opted-in clients; see
 * `src/lib/server/collab/protocol.ts`): the rule, then (client id, clock the server holds).
 */
export const MESSAGE_REFUSED = 101;

export function readRefusal(decoder: decoding.Decoder): {
	rule: string;
	clocks: Map<number, number>;
} {
	const rule = decoding.readVarString(decoder);
	const n = decoding.readVarUint(decoder);
	const clocks = new Map<number, number>();
	for (let i = 0; i < n; i++)
		clocks.set(decoding.readVarUint(decoder), decoding.readVarUint(decoder));
	return { rule, clocks };
}

/** WebsocketProvider `params` that ask the server for saved reports. */
/**
 * Reads one saved report (pairs of client and clock the server has stored) and returns the
 * highest clock stored for `clientID`, or 0 when the report names none of its changes.
 */
export function readSaved(decoder: decoding.Decoder, clientID: number): number {
	let stored = 0;
	const n = decoding.readVarUint(decoder);
	for (let i = 0; i < n; i++) {
		const client = decoding.readVarUint(decoder);
		const clock = decoding.readVarUint(decoder);
		if (client === clientID && clock > stored) stored = clock;
	}
	return stored;
}

export function savedParams(): Record<string, string> {
	return { saved: '1' };
}

export interface SaveStatus {
	/** offline: not connected; saving: local changes not yet on disk; saved: everything is. */
	state: 'saved' | 'saving' | 'offline';
	/** Local changes (transactions) the server has not yet confirmed as stored. */
	unsynced: number;
}

export interface SavedTracker {
	subscribe(run: (status: SaveStatus) => void): () => void;
	readonly current: SaveStatus;
	/** This client's clock the server has confirmed as stored. */
	readonly persisted: number;
	destroy(): void;
}

export function trackSaved(provider: WebsocketProvider): SavedTracker {
	const doc = provider.doc;
	/** The own clock after each local transaction, oldest first, until confirmed. */
	const unconfirmed: number[] = [];
	let lastLocal = Y.getState(doc.store, doc.clientID);
	let persisted = 0;
	let connected = provider.wsconnected;
	const subscribers = new Set<(status: SaveStatus) => void>();

	const status = (): SaveStatus => ({
		state: !connected ? 'offline' : unconfirmed.length > 0 ? 'saving' : 'saved',
		unsynced: unconfirmed.length
	});
	const notify = () => {
		const s = status();
		for (const run of subscribers) run(s);
	};

	const onUpdate = (_update: Uint8Array, origin: unknown) => {
		if (origin === provider) return; // came from the server: already stored there
		const clock = Y.getState(doc.store, doc.clientID);
		if (clock <= lastLocal) return; // changed nothing of ours (e.g. loaded from a cache)
		lastLocal = clock;
		if (clock > persisted) unconfirmed.push(clock);
		notify();
	};
	const onStatus = ({ status: s }: { status: string }) => {
		connected = s === 'connected';
		notify();
	};

	provider.messageHandlers[MESSAGE_SAVED] = (_encoder, decoder) => {
		persisted = Math.max(persisted, readSaved(decoder, doc.clientID));
		while (unconfirmed.length > 0 && (unconfirmed[0] as number) <= persisted) unconfirmed.shift();
		notify();
	};
	doc.on('update', onUpdate);
	provider.on('status', onStatus);

	return {
		subscribe(run) {
			subscribers.add(run);
			run(status());
			return () => subscribers.delete(run);
		},
		get current() {
			return status();
		},
		get persisted() {
			return persisted;
		},
		destroy() {
			doc.off('update', onUpdate);
			provider.off('status', onStatus);
			delete provider.messageHandlers[MESSAGE_SAVED];
			subscribers.clear();
		}
	};
}
