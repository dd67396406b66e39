import * as encoding from 'lib0/encoding';
import { ByteReader, MalformedMessage } from './byte-reader';

/**
 * Awareness (presence) entries as a client sends them, and the server's rewrite of each state
 * (WS-11): the `user` field is the authenticated user's, whatever the client claimed.
 */
export interface AwarenessEntry {
	clientId: number;
	clock: number;
	/** The state as JSON text ("null" = the client is leaving). */
	json: string;
}

/** Who a connection belongs to, as presence shows it. */
export interface PresenceIdentity {
	id: number;
	name: string;
	sector: string;
}

/**
 * Reads an awareness update. Entries are only walked here; their JSON is parsed later and only
 * for client ids the connection owns (stock clients echo other clients' states back).
 */
export function readAwarenessUpdate(update: Uint8Array): AwarenessEntry[] {
	const r = new ByteReader(update);
	const n = r.count();
	const entries: AwarenessEntry[] = [];
	for (let i = 0; i < n; i++) {
		const clientId = r.client();
		const clock = r.varUint();
		entries.push({ clientId, clock, json: r.string() });
	}
	r.end();
	return entries;
}

export function writeAwarenessUpdate(entries: AwarenessEntry[]): Uint8Array {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, entries.length);
	for (const entry of entries) {
		encoding.writeVarUint(e, entry.clientId);
		encoding.writeVarUint(e, entry.clock);
		encoding.writeVarString(e, entry.json);
	}
	return encoding.toUint8Array(e);
}

/** Keys that would reach an object's prototype if some consumer merged the state (INP-06). */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_DEPTH = 8;
const COLOUR = /^#[0-9a-f]{6}$/iu;

/**
 * The state the server publishes for an owned client id: the client's own fields (cursor,
 * selection, …) with `user` replaced by the session's identity plus, if valid, the colour the
 * client picked. Throws MalformedMessage for oversized, non-object or prototype-key states.
 */
export function rewriteAwarenessState(
	json: string,
	identity: PresenceIdentity,
	maxBytes: number
): string {
	if (Buffer.byteLength(json) > maxBytes) throw new MalformedMessage('awareness state too large');
	let state: unknown;
	try {
		state = JSON.parse(json);
	} catch {
		throw new MalformedMessage('awareness state is not json');
	}
	if (state === null) return 'null';
	if (!isPlainObject(state)) throw new MalformedMessage('awareness state is not an object');
	checkKeys(state, 0);
	const claimed = state.user;
	const colour =
		isPlainObject(claimed) && typeof claimed.color === 'string' && COLOUR.test(claimed.color)
			? claimed.color
			: undefined;
	const rewritten = {
		...state,
		user: { id: identity.id, name: identity.name, sector: identity.sector, color: colour }
	};
	return JSON.stringify(rewritten);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkKeys(value: unknown, depth: number): void {
	if (typeof value !== 'object' || value === null) return;
	if (depth > MAX_DEPTH) throw new MalformedMessage('awareness state nested too deeply');
	for (const [key, child] of Object.entries(value)) {
		if (FORBIDDEN_KEYS.has(key)) throw new MalformedMessage('forbidden key in awareness state');
		checkKeys(child, depth + 1);
	}
}
