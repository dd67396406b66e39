import { getRequest } from '@sveltejs/kit/node';
import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { catalogues } from '../../src/lib/i18n/messages';
import {
	bodyLimit,
	bodyLimits,
	DEFAULT_BODY_LIMIT,
	isImportUpload,
	parseByteSize
} from '../../src/lib/server/http/body-limit';
import { IMPORT_LIMITS } from '../../src/lib/server/library-import/limits';

/**
 * The per-route body limit (issue 17): a real Node server with the middleware in front of
 * SvelteKit's own request reader set to the largest limit, as server/main.ts runs adapter-node.
 */

const limits = bodyLimits({});
const MB = 1024 * 1024;
let server: Server;
let base: string;
/** Requests that reached the handler behind the limit. */
let reached = 0;

beforeAll(async () => {
	const limit = bodyLimit(limits);
	server = createServer((req, res) =>
		limit(req, res, () => {
			reached++;
			void (async () => {
				try {
					const r = await getRequest({
						base,
						request: req,
						bodySizeLimit: limits.importUpload
					});
					const bytes = (await r.arrayBuffer()).byteLength;
					res.end(JSON.stringify({ bytes }));
				} catch (e) {
					// What hooks.server.ts does with a body that failed with a status (form-body.ts).
					res.statusCode = (e as { status?: number }).status === 413 ? 413 : 400;
					res.end('refused');
				}
			})();
		})
	);
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
	server.closeAllConnections();
	return new Promise<void>((r) => server.close(() => r()));
});

interface Answer {
	status: number;
	text: string;
	/** Body bytes the client had written when the answer came. */
	sent: number;
	/** Body bytes written in all, when the client stopped or the connection was closed. */
	written: number;
	/** Whether the connection was closed under the upload. */
	cut: boolean;
	ms: number;
}

/**
 * Posts `total` bytes in 64 KB chunks (chunked when `declare` is false) and stops writing as
 * soon as an answer comes — or, with `writeOn`, writes on regardless, as a browser does with an
 * upload, until it is done or the server closes the connection; `paceMs` between chunks makes
 * it a slow link.
 */
function post(
	path: string,
	total: number,
	opts: {
		declare?: boolean;
		headers?: Record<string, string>;
		writeOn?: boolean;
		paceMs?: number;
	} = {}
): Promise<Answer> {
	const declare = opts.declare ?? true;
	const started = performance.now();
	return new Promise((resolve, reject) => {
		let written = 0;
		let answer: Omit<Answer, 'written' | 'cut'> | null = null;
		let stopped: { cut: boolean } | null = null;
		const settle = () => {
			if (answer && stopped) resolve({ ...answer, written, ...stopped });
		};
		const req = request(`${base}${path}`, {
			method: 'POST',
			headers: {
				'content-type': 'application/octet-stream',
				...(declare ? { 'content-length': String(total) } : { 'transfer-encoding': 'chunked' }),
				...opts.headers
			}
		});
		req.on('response', (res) => {
			const sent = written;
			if (!opts.writeOn) stopped ??= { cut: false };
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('end', () => {
				answer = {
					status: res.statusCode!,
					text: Buffer.concat(chunks).toString('utf8'),
					sent,
					ms: performance.now() - started
				};
				settle();
			});
		});
		req.on('error', (e) => {
			stopped ??= { cut: true };
			if (answer === null && !opts.writeOn) reject(e);
			settle();
		});
		req.on('finish', () => {
			stopped ??= { cut: false };
			settle();
		});
		// A connection closed under the upload ends the request without an error.
		req.on('close', () => {
			stopped ??= { cut: written < total };
			settle();
		});
		req.flushHeaders();
		const chunk = Buffer.alloc(64 * 1024, 0x61);
		const write = () => {
			while (!stopped && !req.destroyed && written < total) {
				const n = Math.min(chunk.length, total - written);
				written += n;
				const more = req.write(n === chunk.length ? chunk : chunk.subarray(0, n));
				if (opts.paceMs) return void setTimeout(write, opts.paceMs);
				if (!more) return void req.once('drain', write);
			}
			if (written >= total && !req.writableEnded) req.end();
		};
		write();
	});
}

describe('limits', () => {
	test('sizes are read as adapter-node reads BODY_SIZE_LIMIT', () => {
		expect(parseByteSize('512K')).toBe(512 * 1024);
		expect(parseByteSize('20M')).toBe(20 * MB);
		expect(parseByteSize('1g')).toBe(1024 * MB);
		expect(parseByteSize('1000')).toBe(1000);
		expect(parseByteSize('1.5M')).toBe(1.5 * MB);
		expect(parseByteSize('Infinity')).toBe(Infinity);
		for (const bad of ['', 'abc', '10MB', '-1', '5T'])
			expect(() => parseByteSize(bad), bad).toThrow(/BODY_SIZE_LIMIT=.* is not a size/u);
	});

	test('BODY_SIZE_LIMIT stays the general limit; the import upload takes its own maximum', () => {
		expect(limits.general).toBe(DEFAULT_BODY_LIMIT);
		expect(limits.importUpload).toBeGreaterThan(IMPORT_LIMITS.maxBytes);
		expect(limits.importUpload).toBeLessThan(IMPORT_LIMITS.maxBytes + MB);
		expect(bodyLimits({ BODY_SIZE_LIMIT: '1M' })).toEqual({
			general: MB,
			importUpload: limits.importUpload
		});
		// An operator who allows more everywhere allows it for the import too.
		expect(bodyLimits({ BODY_SIZE_LIMIT: '50M' })).toEqual({
			general: 50 * MB,
			importUpload: 50 * MB
		});
		expect(() => bodyLimits({ BODY_SIZE_LIMIT: 'lots' })).toThrow(/not a size/u);
	});

	test('only posts to the import page are import uploads', () => {
		expect(isImportUpload('POST', '/library/import?/upload')).toBe(true);
		expect(isImportUpload('POST', '/library/import')).toBe(true);
		expect(isImportUpload('GET', '/library/import')).toBe(false);
		expect(isImportUpload('POST', '/library/import/abc?/item')).toBe(false);
		expect(isImportUpload('POST', '/library/importer')).toBe(false);
		expect(isImportUpload('POST', '/boards/new?x=/library/import')).toBe(false);
	});
});

describe('INP-01 bodies over their route limit', () => {
	test('a declared length over the general limit is refused before the body is read', async () => {
		const before = reached;
		const at = await post('/boards/new', DEFAULT_BODY_LIMIT);
		expect(at.status).toBe(200);
		expect(JSON.parse(at.text)).toEqual({ bytes: DEFAULT_BODY_LIMIT });

		const over = await post('/boards/new', DEFAULT_BODY_LIMIT + 1);
		expect(over.status).toBe(413);
		expect(over.text).toBe(`${catalogues.ja['error.too_large']}\n`);
		expect(reached).toBe(before + 1);
	});

	test('answered in the reader’s language, and as an action result to use:enhance', async () => {
		const en = await post('/boards/new', 600_000, { headers: { 'accept-language': 'en' } });
		expect(en.text).toBe(`${catalogues.en['error.too_large']}\n`);
		const chosen = await post('/boards/new', 600_000, {
			headers: { 'accept-language': 'ja', cookie: 'a=1; lang=en' }
		});
		expect(chosen.text).toBe(`${catalogues.en['error.too_large']}\n`);
		const action = await post('/boards/new', 600_000, {
			headers: { 'x-sveltekit-action': 'true' }
		});
		expect(JSON.parse(action.text)).toEqual({
			type: 'error',
			status: 413,
			error: { message: catalogues.ja['error.too_large'] }
		});
	});

	test('the import upload takes a file over the general limit', async () => {
		const r = await post('/library/import?/upload', 3 * MB);
		expect(r.status).toBe(200);
		expect(JSON.parse(r.text)).toEqual({ bytes: 3 * MB });
	});

	test('a 200 MB upload is refused at once with the import’s message, the rest never read', async () => {
		const before = reached;
		const r = await post('/library/import?/upload', 200 * MB);
		expect(r.status).toBe(413);
		expect(r.text).toBe('ファイルが大きすぎます（上限 20 MB）。何も保存していません。\n');
		expect(reached).toBe(before);
		// The answer came before the client had sent a fraction of the file.
		expect(r.sent).toBeLessThan(20 * MB);
		expect(r.ms).toBeLessThan(10_000);
	});

	test('a client that uploads on gets the answer, then the connection is closed under it', async () => {
		// 64 KB every 10 ms: a 200 MB upload would take half a minute.
		const r = await post('/library/import?/upload', 200 * MB, { writeOn: true, paceMs: 10 });
		expect(r.status).toBe(413);
		expect(r.text).toBe('ファイルが大きすぎます（上限 20 MB）。何も保存していません。\n');
		expect(r.ms).toBeLessThan(2_000);
		// Dropped for two seconds, then cut: most of the file was never even sent.
		expect(r.cut).toBe(true);
		expect(r.written).toBeLessThan(100 * MB);
	});

	test('a client that stops sending after the answer keeps its connection', async () => {
		const before = reached;
		const agent = new Agent({ keepAlive: true, maxSockets: 1 });
		try {
			const refused = await new Promise<number>((resolve, reject) => {
				const req = request(`${base}/boards/new`, {
					method: 'POST',
					agent,
					headers: { 'content-type': 'text/plain', 'content-length': '600000' }
				});
				req.on('response', (res) => {
					res.resume();
					res.on('end', () => resolve(res.statusCode!));
				});
				req.on('error', reject);
				// The whole (small) body goes out: the server drops it and the connection stays.
				req.end(Buffer.alloc(600_000, 0x61));
			});
			expect(refused).toBe(413);
			const next = await new Promise<{ status: number; reused: boolean }>((resolve, reject) => {
				const req = request(`${base}/boards/new`, {
					method: 'POST',
					agent,
					headers: { 'content-type': 'text/plain', 'content-length': '3' }
				});
				req.on('response', (res) => {
					res.resume();
					res.on('end', () => resolve({ status: res.statusCode!, reused: req.reusedSocket }));
				});
				req.on('error', reject);
				req.end('abc');
			});
			expect(next).toEqual({ status: 200, reused: true });
			expect(reached).toBe(before + 1);
		} finally {
			agent.destroy();
		}
	});

	test('a chunked body is counted: refused past the general limit, passed whole below it', async () => {
		const under = await post('/boards/new', 400_000, { declare: false });
		expect(under.status).toBe(200);
		expect(JSON.parse(under.text)).toEqual({ bytes: 400_000 });

		const over = await post('/boards/new', 600_000, { declare: false });
		expect(over.status).toBe(413);

		const upload = await post('/library/import?/upload', 2 * MB, { declare: false });
		expect(upload.status).toBe(200);
		expect(JSON.parse(upload.text)).toEqual({ bytes: 2 * MB });
	});

	test('a chunked upload past the import’s limit is refused too', async () => {
		const r = await post('/library/import?/upload', limits.importUpload + MB, { declare: false });
		expect(r.status).toBe(413);
	});
});
