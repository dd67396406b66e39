import { ByteReader, MalformedMessage } from './byte-reader';

/**
 * Structural validation of a Yjs v1 update before Yjs ever decodes it (WS-07).
 *
 * Yjs's decoder trusts the counts an update declares (`new Array(numberOfStructs)`, loops over
 * declared lengths) and throws half-way through bogus input; yjs#687 is open. This walks the same
 * format with a bounded reader — every count is checked against the bytes left, strings must be
 * UTF-8, JSON must parse, nesting is capped — so the walk and the later Yjs decode are both
 * O(message length), and anything Yjs would choke on is refused before it touches a document.
 *
 * Refused on purpose, though Yjs would accept them: subdocuments (boards have none, and a Y.Doc
 * per item would be created on the server), unknown content or type refs, and items whose
 * origin or parent lies in their own client's future (Yjs throws mid-integration on those).
 */
export type UpdateCheck =
	{ ok: true; clients: number[]; structs: number } | { ok: false; reason: string };

const BIT8 = 0x80; // the item has a left origin
const BIT7 = 0x40; // the item has a right origin
const BIT6 = 0x20; // the item has a parentSub (map key)
const BITS5 = 0x1f;

/** Content refs of the v1 format. */
const GC = 0;
const DELETED = 1;
const JSON_CONTENT = 2;
const BINARY = 3;
const STRING = 4;
const EMBED = 5;
const FORMAT = 6;
const TYPE = 7;
const ANY = 8;
const DOC = 9;
const SKIP = 10;

/** Type refs: YArray … YXmlText; 3 (XmlElement) and 5 (XmlHook) carry a name. */
const MAX_TYPE_REF = 6;
const NAMED_TYPE_REFS = new Set([3, 5]);

/** lib0 `any` values nest; real documents nest a few levels, a stack overflow is not an option. */
const MAX_ANY_DEPTH = 16;

export function checkUpdate(update: Uint8Array): UpdateCheck {
	try {
		const r = new ByteReader(update);
		const clients: number[] = [];
		let structs = 0;
		const blocks = r.count();
		for (let b = 0; b < blocks; b++) {
			const n = r.count();
			const client = r.client();
			let clock = r.clock();
			clients.push(client);
			for (let i = 0; i < n; i++) {
				clock += readStruct(r, client, clock);
				structs++;
			}
		}
		readDeleteSet(r);
		r.end();
		return { ok: true, clients, structs };
	} catch (e) {
		if (e instanceof MalformedMessage) return { ok: false, reason: e.message };
		throw e;
	}
}

/** A Yjs state vector (the payload of SyncStep1): pairs of client id and clock. */
export function checkStateVector(sv: Uint8Array): boolean {
	try {
		const r = new ByteReader(sv);
		const n = r.count();
		for (let i = 0; i < n; i++) {
			r.client();
			r.clock();
		}
		r.end();
		return true;
	} catch (e) {
		if (e instanceof MalformedMessage) return false;
		throw e;
	}
}

/** Reads one struct; returns its length in clock units. */
function readStruct(r: ByteReader, client: number, clock: number): number {
	const info = r.u8();
	const ref = info & BITS5;
	if (ref === GC || ref === SKIP) return positiveLength(r.clock());
	if ((info & BIT8) !== 0) readRef(r, client, clock);
	if ((info & BIT7) !== 0) readRef(r, client, clock);
	if ((info & (BIT8 | BIT7)) === 0) {
		const parentInfo = r.varUint();
		if (parentInfo === 1) r.skipString();
		else if (parentInfo === 0) readRef(r, client, clock);
		else throw new MalformedMessage('bad parent info');
		if ((info & BIT6) !== 0) r.skipString();
	}
	return readContent(r, ref);
}

/** An id an item points at; its own client's ids must lie before the item. */
function readRef(r: ByteReader, client: number, clock: number): void {
	const refClient = r.client();
	const refClock = r.clock();
	if (refClient === client && refClock >= clock) throw new MalformedMessage('forward reference');
}

function readContent(r: ByteReader, ref: number): number {
	switch (ref) {
		case DELETED:
			return positiveLength(r.clock());
		case JSON_CONTENT: {
			const n = positiveLength(r.count());
			for (let i = 0; i < n; i++) {
				const s = r.string();
				if (s !== 'undefined') parseJson(s);
			}
			return n;
		}
		case BINARY:
			r.varBytes();
			return 1;
		case STRING:
			return positiveLength(r.skipString());
		case EMBED:
			parseJson(r.string());
			return 1;
		case FORMAT:
			r.skipString();
			parseJson(r.string());
			return 1;
		case TYPE: {
			const typeRef = r.varUint();
			if (typeRef > MAX_TYPE_REF) throw new MalformedMessage('unknown type ref');
			if (NAMED_TYPE_REFS.has(typeRef)) r.skipString();
			return 1;
		}
		case ANY: {
			const n = positiveLength(r.count());
			for (let i = 0; i < n; i++) readAny(r, 0);
			return n;
		}
		case DOC:
			throw new MalformedMessage('subdocuments are not accepted');
		default:
			throw new MalformedMessage('unknown content ref');
	}
}

/** A struct of length 0 would never advance the clock; Yjs never writes one. */
function positiveLength(n: number): number {
	if (n < 1) throw new MalformedMessage('empty struct');
	return n;
}

function parseJson(s: string): void {
	try {
		JSON.parse(s);
	} catch {
		throw new MalformedMessage('invalid json content');
	}
}

/** lib0's `any` encoding (tags 127 down to 116). */
function readAny(r: ByteReader, depth: number): void {
	if (depth > MAX_ANY_DEPTH) throw new MalformedMessage('value nested too deeply');
	const tag = r.u8();
	switch (tag) {
		case 127: // undefined
		case 126: // null
		case 121: // false
		case 120: // true
			return;
		case 125:
			r.varInt();
			return;
		case 124:
			r.take(4);
			return;
		case 123:
		case 122: // float64, bigint64
			r.take(8);
			return;
		case 119:
			r.skipString();
			return;
		case 118: {
			const n = r.count();
			for (let i = 0; i < n; i++) {
				r.skipString();
				readAny(r, depth + 1);
			}
			return;
		}
		case 117: {
			const n = r.count();
			for (let i = 0; i < n; i++) readAny(r, depth + 1);
			return;
		}
		case 116:
			r.varBytes();
			return;
		default:
			throw new MalformedMessage('unknown value tag');
	}
}

function readDeleteSet(r: ByteReader): void {
	const n = r.count();
	for (let i = 0; i < n; i++) {
		r.client();
		const ranges = r.count();
		for (let j = 0; j < ranges; j++) {
			r.clock();
			// Yjs throws on an empty range, after applying the structs before it.
			positiveLength(r.clock());
		}
	}
}
