import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request as pwRequest, type APIRequestContext } from '@playwright/test';
import { createDb } from '../../src/lib/server/db/connect';
import { createSession } from '../../src/lib/server/auth/sessions';
import { catalogues } from '../../src/lib/i18n/messages';
import { E2E } from './env';
import { createUser, e2eDb, expect, SESSION_COOKIE, test } from './fixtures';

/**
 * Findings 3, 4 and 7 of the red-team pass, over HTTP against built servers: where sign-in
 * leads, form bodies no action can read, and a second server on one database file.
 */

/** Every way a `redirectTo` was seen, or could be expected, to leave the site. */
const HOSTILE_TARGETS = [
	'//evil.example',
	'///evil.example',
	'/.//evil.example',
	'/..//evil.example',
	'/%2e%2e//evil.example',
	'/\\evil.example',
	'/./\\evil.example',
	'/\t/evil.example',
	'/\n/evil.example',
	'https://evil.example/',
	'javascript:alert(1)'
];

async function client(baseURL = E2E.baseURL, headers: Record<string, string> = {}) {
	return pwRequest.newContext({
		baseURL,
		// A browser's form post: without `Accept: text/html` SvelteKit answers actions as JSON.
		extraHTTPHeaders: { Origin: baseURL, Accept: 'text/html', ...headers }
	});
}

test.describe('where sign-in leads', () => {
	test('INP-07 GET /login with a valid session follows only paths on this site', async () => {
		const user = await createUser(e2eDb().db);
		const { token } = await createSession(e2eDb().db, user.id, Date.now(), 'e2e');
		const c = await client(E2E.baseURL, { Cookie: `${SESSION_COOKIE}=${token}` });
		const ok = await c.get(`/login?redirectTo=${encodeURIComponent('/boards?x=1#y')}`, {
			maxRedirects: 0
		});
		expect(ok.status()).toBe(303);
		expect(ok.headers().location).toBe('/boards?x=1#y');
		for (const target of HOSTILE_TARGETS) {
			const r = await c.get(`/login?redirectTo=${encodeURIComponent(target)}`, {
				maxRedirects: 0
			});
			expect(r.status(), JSON.stringify(target)).toBe(303);
			expect(r.headers().location, JSON.stringify(target)).toBe('/');
		}
		// The exact request of the finding.
		const finding = await c.get('/login?redirectTo=%2F.%2F%2Fevil.example', { maxRedirects: 0 });
		expect(finding.headers().location).toBe('/');
		await c.dispose();
	});

	test('INP-07 POST /login and the language switch answer only same-site Locations', async () => {
		const user = await createUser(e2eDb().db);
		for (const target of ['/.//evil.example', '/\t/evil.example', '/%2e%2e//evil.example']) {
			const c = await client();
			const r = await c.post('/login', {
				form: { username: user.username, password: user.password, redirectTo: target },
				maxRedirects: 0
			});
			expect(r.status(), JSON.stringify(target)).toBe(303);
			expect(r.headers().location, JSON.stringify(target)).toBe('/');
			await c.dispose();
		}
		const c = await client();
		for (const target of HOSTILE_TARGETS) {
			const r = await c.post('/lang', {
				form: { lang: 'en', redirectTo: target },
				maxRedirects: 0
			});
			expect(r.status(), JSON.stringify(target)).toBe(303);
			expect(r.headers().location, JSON.stringify(target)).toBe('/');
		}
		const back = await c.post('/lang', {
			form: { lang: 'ja', redirectTo: '/library/search?q=量子' },
			maxRedirects: 0
		});
		expect(back.headers().location).toBe('/library/search?q=%E9%87%8F%E5%AD%90');
		await c.dispose();
	});
});

/** A built server of its own, whose output the test reads. */
interface Spawned {
	child: ChildProcess;
	output: () => string;
	exited: Promise<number | null>;
}

function startServer(port: number, databasePath: string): Spawned {
	const child = spawn(process.execPath, ['build-server/main.js'], {
		env: {
			...process.env,
			PORT: String(port),
			HOST: '127.0.0.1',
			DATABASE_PATH: databasePath,
			YORIAI_SEED_ON_START: '0'
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let out = '';
	child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
	child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
	const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
	return { child, output: () => out, exited };
}

async function listening(s: Spawned): Promise<void> {
	await expect.poll(s.output, { timeout: 30_000 }).toContain('listening');
}

async function stop(s: Spawned, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
	if (s.child.exitCode !== null || s.child.signalCode !== null) return;
	s.child.kill(signal);
	await s.exited;
}

/** Node prints stack frames as indented `at …` lines. */
const STACK_FRAME = /^\s+at /mu;

test.describe('form bodies and one process per database', () => {
	test.describe.configure({ mode: 'serial' });
	const dir = mkdtempSync(join(tmpdir(), 'yoriai-hardening-'));
	const dbPath = join(dir, 'y.db');
	const port = E2E.port + 11;
	const base = `http://localhost:${port}`;
	let server: Spawned;

	test.beforeAll(async () => {
		test.setTimeout(60_000);
		server = startServer(port, dbPath);
		await listening(server);
	});

	test.afterAll(async () => {
		await stop(server);
		rmSync(dir, { recursive: true, force: true });
	});

	const post = (
		c: APIRequestContext,
		path: string,
		contentType: string | null,
		data: string,
		headers: Record<string, string> = {}
	) =>
		c.post(path, {
			headers: { ...(contentType === null ? {} : { 'Content-Type': contentType }), ...headers },
			data: Buffer.from(data),
			maxRedirects: 0
		});

	test("INP-01 unreadable form bodies answer 400/415 in the reader's language, never 500, no stack trace", async () => {
		const ja = await client(base, { 'Accept-Language': 'ja' });
		const en = await client(base, { 'Accept-Language': 'en' });
		const broken = [
			// The finding: a multipart type with a body that is no multipart at all.
			['multipart/form-data; boundary=x', 'this is not multipart'],
			// A part cut off before its closing boundary.
			[
				'multipart/form-data; boundary=x',
				'--x\r\nContent-Disposition: form-data; name="username"\r\n\r\ntanaka'
			],
			// A boundary the body never uses.
			[
				'multipart/form-data; boundary=abc',
				'--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--\r\n'
			],
			// Multipart without a boundary.
			['multipart/form-data', '--x--\r\n']
		] as const;
		for (const path of ['/login', '/register', '/lang', '/account?/profile', '/boards/new']) {
			for (const [type, body] of broken) {
				const r = await post(ja, path, type, body);
				expect(r.status(), `${path} ${type}`).toBe(400);
				expect(await r.text()).toContain(catalogues.ja['error.unreadable_form']);
			}
		}
		const r = await post(en, '/login', 'multipart/form-data; boundary=x', 'broken');
		expect(r.status()).toBe(400);
		expect(await r.text()).toContain(catalogues.en['error.unreadable_form']);

		// An enhanced form (use:enhance) gets an action result it can show.
		const enhanced = await post(en, '/login', 'multipart/form-data; boundary=x', 'broken', {
			'x-sveltekit-action': 'true',
			Accept: 'application/json'
		});
		expect(enhanced.status()).toBe(400);
		expect(await enhanced.json()).toEqual({
			type: 'error',
			status: 400,
			error: { message: catalogues.en['error.unreadable_form'] }
		});

		// Types no form has: refused as such.
		for (const [type, body] of [
			['text/plain', 'username=a'],
			['application/json', '{"username":"a"}'],
			['application/x-sveltekit-formdata', 'xx'],
			[null, 'username=a']
		] as const) {
			const t = await post(en, '/login', type, body);
			expect(t.status(), String(type)).toBe(415);
			expect(await t.text()).toContain(catalogues.en['error.form_type']);
		}

		// Over BODY_SIZE_LIMIT (512 KiB by default), outside the smaller auth-form limit.
		const big = await post(
			en,
			'/boards/new',
			'application/x-www-form-urlencoded',
			`a=${'x'.repeat(600_000)}`
		);
		expect(big.status()).toBe(413);
		expect(await big.text()).toContain(catalogues.en['error.too_large']);

		// URL-encoded bodies always parse; nonsense in them is the form's ordinary 400.
		const urlencoded = await post(ja, '/login', 'application/x-www-form-urlencoded', '%zz&=&%%%');
		expect(urlencoded.status()).toBe(400);

		expect(server.output()).toMatch(
			/"status":400,"method":"POST","path":"\/login","msg":"form: unreadable body"/
		);
		expect(server.output()).not.toMatch(STACK_FRAME);
		expect(server.output()).not.toContain('[error ');
		await ja.dispose();
		await en.dispose();
	});

	test('INP-01 well-formed multipart and URL-encoded forms still reach the action', async () => {
		const { db } = createDb(dbPath);
		const user = await createUser(db);
		await db.destroy();
		const c = await client(base);
		const boundary = 'yoriaiBoundary';
		const part = (name: string, value: string) =>
			`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
		const body =
			part('username', user.username) +
			part('password', user.password) +
			part('redirectTo', '/library') +
			`--${boundary}--\r\n`;
		const r = await post(c, '/login', `multipart/form-data; boundary=${boundary}`, body);
		expect(r.status()).toBe(303);
		expect(r.headers().location).toBe('/library');
		await c.dispose();
		const fresh = await client(base);
		const wrong = await fresh.post('/login', {
			form: { username: user.username, password: 'not the password at all' },
			maxRedirects: 0
		});
		expect(wrong.status()).toBe(400);
		expect(await wrong.text()).toContain(catalogues.ja['error.login_failed']);
		await fresh.dispose();
	});

	test('DUR-02 a second server on the same database file refuses to start; other files are fine', async () => {
		test.setTimeout(90_000);
		// The first server (beforeAll) holds dbPath.
		const second = startServer(port + 1, dbPath);
		expect(await second.exited).toBe(1);
		expect(second.output()).toContain(`another Yoriai process is using ${dbPath}`);
		expect(second.output()).not.toMatch(STACK_FRAME);
		// The first one is unharmed.
		const health = await fetch(`${base}/healthz`);
		expect(health.status).toBe(200);

		// Tools that migrate keep off a served database too.
		const migrate = spawn('npx', ['tsx', 'server/cli/migrate.ts'], {
			env: { ...process.env, DATABASE_PATH: dbPath },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let migrateOut = '';
		migrate.stdout.on('data', (c: Buffer) => (migrateOut += c.toString()));
		migrate.stderr.on('data', (c: Buffer) => (migrateOut += c.toString()));
		expect(await new Promise((resolve) => migrate.on('exit', resolve))).toBe(1);
		expect(migrateOut).toContain('db:migrate: another Yoriai process is using');

		// Another file: a server of its own, beside the first.
		const other = startServer(port + 2, join(dir, 'other.db'));
		await listening(other);
		expect((await fetch(`http://localhost:${port + 2}/healthz`)).status).toBe(200);
		await stop(other);

		// Once the first server is gone — even killed outright — the file is free at once.
		await stop(server, 'SIGKILL');
		server = startServer(port, dbPath);
		await listening(server);
		expect((await fetch(`${base}/healthz`)).status).toBe(200);
	});
});
