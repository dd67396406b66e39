import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { E2E } from './env';
import { expect, test } from './fixtures';

const wsUrl = (path: string) => `ws://localhost:${E2E.port}${path}`;

function handshake(
	path: string
): Promise<{ status: number | null; body: string; closed: boolean }> {
	return new Promise((resolve) => {
		const ws = new WebSocket(wsUrl(path), { headers: { Origin: E2E.baseURL } });
		ws.on('unexpected-response', (_req, res) => {
			let body = '';
			res.on('data', (c: Buffer) => (body += c.toString()));
			res.on('end', () => resolve({ status: res.statusCode ?? null, body, closed: false }));
		});
		ws.on('open', () => {
			ws.close();
			resolve({ status: 101, body: '', closed: false });
		});
		ws.on('error', () => resolve({ status: null, body: '', closed: true }));
	});
}

test('an upgrade outside the realtime path is dropped without an answer', async () => {
	const r = await handshake('/somewhere-else');
	expect(r.closed).toBe(true);
});

test('SIGTERM stops the server gracefully: it exits 0 and the database closes cleanly', async () => {
	const dir = mkdtempSync(join(tmpdir(), 'yoriai-shutdown-'));
	const port = E2E.port + 7;
	const child = spawn(process.execPath, ['build-server/main.js'], {
		env: {
			...process.env,
			PORT: String(port),
			HOST: '127.0.0.1',
			DATABASE_PATH: join(dir, 'y.db')
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let out = '';
	child.stdout.on('data', (c: Buffer) => (out += c.toString()));
	await expect.poll(() => out, { timeout: 20_000 }).toContain('listening');
	// A keep-alive connection that stays open must not hold the shutdown up.
	await new Promise<void>((resolve) =>
		request(
			{ port, path: '/healthz', agent: false, headers: { Connection: 'keep-alive' } },
			(res) => {
				res.resume();
				res.on('end', resolve);
			}
		).end()
	);
	const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
	child.kill('SIGTERM');
	expect(await exited).toBe(0);
	expect(out).toContain('shutting down');
	rmSync(dir, { recursive: true, force: true });
});
