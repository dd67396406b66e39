import * as prng from 'lib0/prng';
import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { checkStateVector, checkUpdate } from '../../src/lib/server/collab/update-check';
import { buildBoard } from '../helpers/board-model';

/** Updates covering every content kind a board can contain, as Yjs itself encodes them. */
function samples(): Uint8Array[] {
	const doc = new Y.Doc();
	const out: Uint8Array[] = [];
	doc.on('update', (u: Uint8Array) => out.push(u));
	const map = doc.getMap('m');
	map.set('any', { a: [1, 2.5, -3, 'x', null, true, false, 2n ** 60n] });
	map.set('bytes', new Uint8Array([1, 2, 3]));
	map.set('nested', new Y.Map());
	const text = doc.getText('t');
	text.insert(0, 'こんにちは 🌸 world', { bold: true });
	text.insertEmbed(3, { image: 'x.png' });
	text.format(1, 3, { italic: true });
	text.delete(2, 4);
	const xml = doc.getXmlFragment('x');
	const el = new Y.XmlElement('p');
	xml.insert(0, [el, new Y.XmlText('t')]);
	doc.getMap('hooks').set('h', new Y.XmlHook('hook'));
	el.setAttribute('class', 'c');
	doc.getArray('a').insert(0, [1, 'two', new Y.Array()]);
	map.delete('any');
	out.push(Y.encodeStateAsUpdate(doc));
	// mergeUpdates writes Skip structs for gaps.
	out.push(Y.mergeUpdates([out[0] as Uint8Array, out[3] as Uint8Array]));
	out.push(Y.encodeStateAsUpdate(buildBoard(50, 300)));
	return out;
}

describe('structural update check (WS-07)', () => {
	test('accepts everything Yjs encodes for a board, and the board state vector', () => {
		for (const u of samples()) expect(checkUpdate(u)).toMatchObject({ ok: true });
		const doc = buildBoard(20, 50);
		expect(checkStateVector(Y.encodeStateVector(doc))).toBe(true);
		expect(checkStateVector(Uint8Array.of(5, 1))).toBe(false);
	});

	test('refuses forged counts and trailing bytes without allocating what they claim', () => {
		// 2^35 client blocks claimed in five bytes.
		expect(checkUpdate(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0x7f))).toEqual({
			ok: false,
			reason: 'count exceeds message'
		});
		const valid = samples()[0] as Uint8Array;
		expect(checkUpdate(Uint8Array.of(...valid, 0)).ok).toBe(false);
		expect(checkUpdate(valid.subarray(0, valid.length - 1)).ok).toBe(false);
	});

	test('REL-03 mutated updates: the check never throws, and what it accepts applies quickly', () => {
		const gen = prng.create(42);
		const base = samples();
		let accepted = 0;
		for (let i = 0; i < 3000; i++) {
			const u = Uint8Array.from(prng.oneOf(gen, base));
			for (let k = prng.uint32(gen, 1, 4); k > 0; k--)
				u[prng.uint32(gen, 0, u.length - 1)] = prng.uint32(gen, 0, 255);
			const r = checkUpdate(u);
			if (!r.ok) continue;
			accepted++;
			const started = performance.now();
			try {
				Y.applyUpdate(new Y.Doc(), u);
			} catch {
				// A throw is handled by the server (the room is reloaded); a hang would not be.
			}
			expect(performance.now() - started).toBeLessThan(1000);
		}
		expect(accepted).toBeGreaterThan(0);
	});
});
