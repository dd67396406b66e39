import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withCompression } from '../../src/lib/server/http/compress';

const page = '<!doctype html><p>' + 'カード '.repeat(5000) + '</p>';
const data = JSON.stringify({ type: 'data', nodes: Array.from({ length: 500 }, (_, i) => i) });

let server: Server;
let base: string;
beforeAll(async () => {
	server = createServer(
		withCompression((req, res) => {
			const types: Record<string, [string, string]> = {
				'/page': ['text/html; charset=utf-8', page],
				'/__data.json': ['application/json', data],
				'/stream': ['text/sveltekit-data', data],
				'/small': ['text/html', '<p>hi</p>'],
				'/asset.js': ['text/javascript', 'x'.repeat(4000)]
			};
			const [type, body] = types[req.url ?? ''] ?? ['text/plain', 'missing'];
			res.setHeader('Content-Type', type);
			// A precompressed build asset as adapter-node's static server sends it.
			if (req.url === '/asset.js') res.setHeader('Content-Encoding', 'br');
			res.end(body);
		})
	);
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function get(path: string, acceptEncoding?: string) {
	return new Promise<{ encoding: string | undefined; vary: string; body: Buffer }>(
		(resolve, reject) => {
			const req = request(
				`${base}${path}`,
				{ headers: acceptEncoding ? { 'Accept-Encoding': acceptEncoding } : {} },
				(res) => {
					const chunks: Buffer[] = [];
					res.on('data', (c: Buffer) => chunks.push(c));
					res.on('end', () =>
						resolve({
							encoding: res.headers['content-encoding'],
							vary: String(res.headers.vary ?? ''),
							body: Buffer.concat(chunks)
						})
					);
				}
			);
			req.on('error', reject);
			req.end();
		}
	);
}

describe('response compression (Node entry)', () => {
	it('sends a page as brotli when the browser accepts it, and it decodes to the page', async () => {
		const r = await get('/page', 'gzip, deflate, br');
		expect(r.encoding).toBe('br');
		expect(r.vary).toMatch(/Accept-Encoding/iu);
		expect(brotliDecompressSync(r.body).toString()).toBe(page);
		expect(r.body.length).toBeLessThan(Buffer.byteLength(page) / 10);
	});

	it('falls back to gzip, and to no encoding at all', async () => {
		const gz = await get('/__data.json', 'gzip');
		expect(gz.encoding).toBe('gzip');
		expect(gunzipSync(gz.body).toString()).toBe(data);
		const plain = await get('/__data.json');
		expect(plain.encoding).toBeUndefined();
		expect(plain.body.toString()).toBe(data);
	});

	it('leaves streamed page data, tiny responses and precompressed assets alone', async () => {
		expect((await get('/stream', 'br')).encoding).toBeUndefined();
		expect((await get('/small', 'br')).encoding).toBeUndefined();
		const asset = await get('/asset.js', 'br, gzip');
		expect(asset.encoding).toBe('br');
		expect(asset.body.toString()).toBe('x'.repeat(4000));
	});
});
