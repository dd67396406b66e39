import * as encoding from 'lib0/encoding';
import { ByteReader, MalformedMessage } from './byte-reader';
import { checkStateVector } from './update-check';

/**
 * The y-websocket wire format (what the stock `WebsocketProvider` speaks), decoded strictly:
 * one message per frame, `[type][payload]`, and nothing may follow the payload.
 *
 * Messages are built here with y-protocols' layout; the sync payloads themselves are produced by
 * Yjs from the server's own document, never copied from a client unchecked.
 */
export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;
/**
 * Yoriai's "saved" report (server → client only, and only to clients that asked for it with
 * `?saved=1`; a stock client would log "Unable to compute message"). Payload: pairs of
 * (Yjs client id, clock persisted for it). Numbered far above y-websocket's own types.
 */
export const MESSAGE_SAVED = 100;
/**
 * Yoriai's "refused" notice (server → client, to the same opted-in clients): an update of this
 * connection broke the board's rules and was not applied. Payload: the rule (varString), then
 * pairs of (Yjs client id, clock the server holds for it) for the refused update's clients — what
 * of that client's work was accepted. Yjs cannot take a change back out of the sender's
 * document, and every later update from that client id builds on the refused one (the server
 * refuses those too, as gaps), so the client rebuilds its document from the server's state
 * under a new client id and replays its changes made after the refused one (board-client).
 */
export const MESSAGE_REFUSED = 101;

export const SYNC_STEP1 = 0;
export const SYNC_STEP2 = 1;
export const SYNC_UPDATE = 2;

export type ClientMessage =
	| { kind: 'sync-step1'; stateVector: Uint8Array }
	| { kind: 'sync-step2' | 'update'; update: Uint8Array }
	| { kind: 'awareness'; update: Uint8Array }
	| { kind: 'query-awareness' };

/** Reads one client frame; throws MalformedMessage for anything else. */
export function readClientMessage(frame: Uint8Array): ClientMessage {
	const r = new ByteReader(frame);
	const type = r.varUint();
	let message: ClientMessage;
	if (type === MESSAGE_SYNC) {
		const step = r.varUint();
		const payload = r.varBytes();
		if (step === SYNC_STEP1) {
			if (!checkStateVector(payload)) throw new MalformedMessage('invalid state vector');
			message = { kind: 'sync-step1', stateVector: payload };
		} else if (step === SYNC_STEP2) message = { kind: 'sync-step2', update: payload };
		else if (step === SYNC_UPDATE) message = { kind: 'update', update: payload };
		else throw new UnsupportedMessage(`unknown sync message ${step}`);
	} else if (type === MESSAGE_AWARENESS) {
		message = { kind: 'awareness', update: r.varBytes() };
	} else if (type === MESSAGE_QUERY_AWARENESS) {
		message = { kind: 'query-awareness' };
	} else {
		// Auth (2), the saved report (100) and the refusal (101) only ever travel server → client.
		throw new UnsupportedMessage(`unexpected message type ${type}`);
	}
	r.end();
	return message;
}

/** A well-formed message of a type the server does not accept (close 1003, not 1002). */
export class UnsupportedMessage extends Error {}

/** A Yjs v1 update with nothing in it. */
export const EMPTY_UPDATE = Uint8Array.of(0, 0);

export function syncStep1Message(stateVector: Uint8Array): Uint8Array {
	return syncMessage(SYNC_STEP1, stateVector);
}

export function syncStep2Message(update: Uint8Array): Uint8Array {
	return syncMessage(SYNC_STEP2, update);
}

export function updateMessage(update: Uint8Array): Uint8Array {
	return syncMessage(SYNC_UPDATE, update);
}

function syncMessage(step: number, payload: Uint8Array): Uint8Array {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, MESSAGE_SYNC);
	encoding.writeVarUint(e, step);
	encoding.writeVarUint8Array(e, payload);
	return encoding.toUint8Array(e);
}

export function awarenessMessage(update: Uint8Array): Uint8Array {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, MESSAGE_AWARENESS);
	encoding.writeVarUint8Array(e, update);
	return encoding.toUint8Array(e);
}

export function refusedMessage(rule: string, clocks: ReadonlyMap<number, number>): Uint8Array {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, MESSAGE_REFUSED);
	encoding.writeVarString(e, rule);
	encoding.writeVarUint(e, clocks.size);
	for (const [client, clock] of clocks) {
		encoding.writeVarUint(e, client);
		encoding.writeVarUint(e, clock);
	}
	return encoding.toUint8Array(e);
}

/** What is durably stored for each of a connection's Yjs client ids. */
export function savedMessage(clocks: ReadonlyMap<number, number>): Uint8Array {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, MESSAGE_SAVED);
	encoding.writeVarUint(e, clocks.size);
	for (const [client, clock] of clocks) {
		encoding.writeVarUint(e, client);
		encoding.writeVarUint(e, clock);
	}
	return encoding.toUint8Array(e);
}
