/**
 * The order in which one voter's ballot lists the cards, when the session shuffles: a
 * Fisher–Yates shuffle driven by a small PRNG (mulberry32) seeded with the session and the
 * voter. Every voter gets an order of their own — so no card profits from always being first —
 * and the same voter gets the same order on every load, so the ballot does not jump while they
 * fill it in. Not a secret: it only spreads position bias.
 */
export function ballotOrder<T>(items: readonly T[], sessionId: number, userId: number): T[] {
	const next = mulberry32(fnv1a(`yoriai-ballot:${sessionId}:${userId}`));
	const out = [...items];
	for (let i = out.length - 1; i > 0; i--) {
		const j = Math.floor(next() * (i + 1));
		[out[i], out[j]] = [out[j]!, out[i]!];
	}
	return out;
}

function fnv1a(s: string): number {
	let h = 0x811c9dc5;
	for (let i = 0; i < s.length; i++) {
		h ^= s.charCodeAt(i);
		h = Math.imul(h, 0x01000193);
	}
	return h >>> 0;
}

function mulberry32(seed: number): () => number {
	let a = seed;
	return () => {
		a = (a + 0x6d2b79f5) | 0;
		let t = Math.imul(a ^ (a >>> 15), 1 | a);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}
