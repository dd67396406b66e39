/**
 * A strict reader over untrusted bytes. Unlike lib0's decoder (which reads `undefined` past the
 * end in places and lets the caller allocate whatever a length prefix claims), every read here is
 * bounds-checked and every count is checked against the bytes that remain, so walking a message
 * costs O(its length) whatever it declares.
 */
import { isUtf8 } from 'node:buffer';

export class MalformedMessage extends Error {}

/** Clocks and lengths beyond this never occur (a trillion operations by one client). */
const MAX_CLOCK = 2 ** 40;
/** Yjs client ids are random uint32 values. */
const MAX_CLIENT = 0xffff_ffff;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export class ByteReader {
	pos = 0;
	constructor(readonly bytes: Uint8Array) {}

	get remaining(): number {
		return this.bytes.length - this.pos;
	}

	u8(): number {
		if (this.pos >= this.bytes.length) throw new MalformedMessage('unexpected end');
		return this.bytes[this.pos++] as number;
	}

	/** An unsigned LEB128 integer of at most 53 bits. */
	varUint(): number {
		let num = 0;
		let mult = 1;
		for (;;) {
			const r = this.u8();
			num += (r & 0x7f) * mult;
			if (r < 0x80) return num;
			mult *= 128;
			if (mult > 2 ** 53) throw new MalformedMessage('integer out of range');
		}
	}

	/** lib0's signed varint: sign in bit 7 of the first byte, 6 data bits, then 7 per byte. */
	varInt(): number {
		let r = this.u8();
		let num = r & 0x3f;
		let mult = 64;
		const negative = (r & 0x40) > 0;
		while (r >= 0x80) {
			r = this.u8();
			num += (r & 0x7f) * mult;
			mult *= 128;
			if (mult > 2 ** 53) throw new MalformedMessage('integer out of range');
		}
		return negative ? -num : num;
	}

	/** A count of things that each take at least one byte: it cannot exceed what is left. */
	count(): number {
		const n = this.varUint();
		if (n > this.remaining) throw new MalformedMessage('count exceeds message');
		return n;
	}

	clock(): number {
		const n = this.varUint();
		if (n > MAX_CLOCK) throw new MalformedMessage('clock out of range');
		return n;
	}

	client(): number {
		const n = this.varUint();
		if (n > MAX_CLIENT) throw new MalformedMessage('client id out of range');
		return n;
	}

	take(len: number): Uint8Array {
		if (len > this.remaining) throw new MalformedMessage('unexpected end');
		const out = this.bytes.subarray(this.pos, this.pos + len);
		this.pos += len;
		return out;
	}

	varBytes(): Uint8Array {
		return this.take(this.varUint());
	}

	/** A length-prefixed UTF-8 string; invalid UTF-8 is refused (lib0 would throw later). */
	string(): string {
		const bytes = this.varBytes();
		try {
			return utf8.decode(bytes);
		} catch {
			throw new MalformedMessage('invalid utf-8');
		}
	}

	/**
	 * Skips a length-prefixed UTF-8 string after validating it, without building it (most
	 * strings in an update are only checked). Returns its length in UTF-16 code units, which is
	 * what Yjs counts for text.
	 */
	skipString(): number {
		const bytes = this.varBytes();
		if (!isUtf8(bytes)) throw new MalformedMessage('invalid utf-8');
		let units = 0;
		for (const b of bytes) {
			// Every byte that is not a continuation starts a code point; 4-byte ones are surrogate
			// pairs in UTF-16.
			if ((b & 0xc0) !== 0x80) units += b >= 0xf0 ? 2 : 1;
		}
		return units;
	}

	/** Garbage after a complete message is refused: the sender is not speaking the protocol. */
	end(): void {
		if (this.remaining !== 0) throw new MalformedMessage('trailing bytes');
	}
}
