import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebsocketProvider } from 'y-websocket';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { addCard, readBoard } from '../../src/lib/domain/board/doc';
import { createSession } from '../../src/lib/server/auth/sessions';
import { addMember } from '../../src/lib/server/boards/members';
import { createBoard } from '../../src/lib/server/boards/create';
import { createDb, type SqliteHandle } from '../../src/lib/server/db/connect';
import { E2E } from './env';
import { createUser, expect, SESSION_COOKIE, test, type TestUser } from './fixtures';

/**
 * Issue 16's observability against a built server of its own (E2E_PORT+37): health and
 * readiness, /metrics with its named series and who may read it, and structured logs that carry
 * request ids and never a password, token or cookie.
 */

const METRICS_TOKEN = 'e2e-metrics-token-0123456789abcdef';

test.describe('health, metrics and logs', () => {
	test.describe.configure({ mode: 'serial' });
	const dir = mkdtempSync(join(tmpdir(), 'yoriai-obs-'));
	const port = E2E.port + 37;
	const base = `http://localhost:${port}`;
	let child: ChildProcess;
	let out = '';
	let h: SqliteHandle;
	let admin: TestUser;
	let participant: TestUser;

	test.beforeAll(async () => {
		test.setTimeout(60_000);
		const dbPath = join(dir, 'obs.db');
		child = spawn(process.execPath, ['build-server/main.js'], {
			env: {
				...process.env,
				PORT: String(port),
				HOST: '127.0.0.1',
				DATABASE_PATH: dbPath,
				YORIAI_SEED_ON_START: '0',
				METRICS_TOKEN,
				LOG_FORMAT: 'json',
				LOG_LEVEL: 'info'
			},
			stdio: ['ignore', 'pipe', 'pipe']
		});
		child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
		child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
		await expect.poll(() => out, { timeout: 30_000 }).toContain('listening');
		h = createDb(dbPath);
		admin = await createUser(h.db); // the first account: the administrator
		participant = await createUser(h.db);
	});

	test.afterAll(async () => {
		await h.db.destroy();
		const exited = new Promise((r) => child.on('exit', r));
		child.kill('SIGTERM');
		await exited;
		rmSync(dir, { recursive: true, force: true });
	});

	const session = async (u: TestUser) =>
		`${SESSION_COOKIE}=${(await createSession(h.db, u.id, Date.now(), 'e2e')).token}`;

	/** A same-origin form post, as a browser without JavaScript sends it. */
	const post = (cookie: string, path: string, body: string, headers: Record<string, string> = {}) =>
		fetch(`${base}${path}`, {
			method: 'POST',
			headers: {
				Cookie: cookie,
				Origin: base,
				Accept: 'text/html',
				'Content-Type': 'application/x-www-form-urlencoded',
				...headers
			},
			body,
			redirect: 'manual'
		});

	/**
	 * A board of three cards with a 100-point vote open on it, opened through the facilitator's
	 * form as the page does (which also moves the board to the vote phase); `voters` are members.
	 */
	async function pointsVote(voters: TestUser[]): Promise<{ path: string; cards: string[] }> {
		const boardId = await createBoard(h.db, {
			title: '投票のログ',
			purpose: '',
			workshopDate: null,
			template: { type: 'selection', ids: [] },
			cards: ['一', '二', '三'].map((n) => ({
				title: `案 ${n}`,
				titleEn: '',
				note: '',
				kind: 'note' as const,
				sources: []
			})),
			author: { id: admin.id, name: admin.displayName },
			now: Date.now()
		});
		for (const v of voters)
			await addMember(h.db, boardId, {
				username: v.username,
				role: 'participant',
				by: admin.id,
				now: Date.now()
			});
		const opened = await post(
			await session(admin),
			`/boards/${boardId}/votes?/open`,
			new URLSearchParams({
				title: '100 点投票',
				method: 'points',
				scope: 'all',
				total: '100'
			}).toString()
		);
		expect(opened.status).toBe(303);
		const path = opened.headers.get('location') ?? '';
		expect(path).toMatch(/^\/boards\/[a-z2-7]+\/votes\/\d+$/u);
		const row = await h.db
			.selectFrom('vote_sessions')
			.select('cards')
			.where('id', '=', Number(path.split('/').pop()))
			.executeTakeFirstOrThrow();
		const cards = JSON.parse(row.cards) as string[];
		expect(cards).toHaveLength(3);
		return { path, cards };
	}

	/** A counter's value in /metrics text; 0 while the series does not exist yet. */
	const counter = (text: string, series: string) => {
		const line = text.split('\n').find((l) => l.startsWith(`${series} `));
		return line ? Number(line.slice(series.length + 1)) : 0;
	};

	test('OPS /healthz answers alive and /readyz checks the database and migrations', async () => {
		const alive = await fetch(`${base}/healthz`);
		expect(alive.status).toBe(200);
		expect(await alive.text()).toMatch(/^ok\b/u);
		const ready = await fetch(`${base}/readyz`);
		expect([ready.status, await ready.text()]).toEqual([200, 'ready\n']);
	});

	test('OPS-03 /metrics has the named series for a token or an administrator, and refuses a participant', async () => {
		// Activity behind the series: a board socket with an edit, a refused edit, throttled sign-ins.
		const boardId = await createBoard(h.db, {
			title: 'メトリクス',
			purpose: '',
			workshopDate: null,
			template: { type: 'selection', ids: [] },
			cards: [],
			author: { id: admin.id, name: admin.displayName },
			now: Date.now()
		});
		await addMember(h.db, boardId, {
			username: participant.username,
			role: 'participant',
			by: admin.id,
			now: Date.now()
		});
		const client = async (u: TestUser) => {
			const headers = { Cookie: await session(u), Origin: base };
			class WithCookie extends WebSocket {
				constructor(url: string | URL, protocols?: string | string[]) {
					super(url, protocols, { headers });
				}
			}
			const doc = new Y.Doc();
			const p = new WebsocketProvider(`ws://localhost:${port}/collab`, boardId, doc, {
				WebSocketPolyfill: WithCookie as unknown as typeof globalThis.WebSocket,
				disableBc: true
			});
			await new Promise<void>((resolve) => p.once('sync', () => resolve()));
			return { doc, p };
		};
		const facilitator = await client(admin);
		const lane = readBoard(facilitator.doc).lanes[0]!.id;
		addCard(facilitator.doc, {
			title: '受け付けられる',
			lane,
			author: { id: admin.id, name: admin.displayName },
			now: Date.now()
		});
		// A card claiming to be someone else's is refused by the board's authorship rule.
		const other = await client(participant);
		addCard(other.doc, {
			title: '断られる',
			lane,
			author: { id: admin.id, name: admin.displayName },
			now: Date.now()
		});
		const read = (headers: Record<string, string>) => fetch(`${base}/metrics`, { headers });
		const scrape = async () => (await read({ Authorization: `Bearer ${METRICS_TOKEN}` })).text();
		const THROTTLED = 'yoriai_throttled_requests_total{throttle="login"}';
		const CAST = 'yoriai_ballots_cast_total{change="cast"}';
		const before = await scrape();

		// Wrong passwords in a row: the account's back-off answers 429 to those that come too soon.
		let throttled = 0;
		for (let i = 0; i < 4; i++) {
			const r = await fetch(`${base}/login`, {
				method: 'POST',
				// As a browser's form post: the page answers with the failure's status (429).
				headers: {
					Origin: base,
					Accept: 'text/html',
					'Content-Type': 'application/x-www-form-urlencoded'
				},
				body: `username=${admin.username}&password=wrong-password-${i}`,
				redirect: 'manual'
			});
			if (r.status === 429) throttled++;
		}
		expect(throttled).toBeGreaterThan(0);
		expect((await read({})).status).toBe(403);
		expect((await read({ Authorization: 'Bearer not-the-token-at-all-000000' })).status).toBe(403);
		expect((await read({ Cookie: await session(participant) })).status).toBe(403);
		expect((await read({ Cookie: await session(admin) })).status).toBe(200);

		let text = '';
		await expect
			.poll(
				async () => {
					text = await (await read({ Authorization: `Bearer ${METRICS_TOKEN}` })).text();
					return /yoriai_update_refusals_total\{reason="[a-z_]+"\} [1-9]/u.test(text);
				},
				{ timeout: 10_000 }
			)
			.toBe(true);
		for (const series of [
			'yoriai_http_requests_total{method="GET",route="/healthz",status="200"}',
			'yoriai_http_request_duration_seconds_bucket{le="0.005",method="GET",route="/healthz"}',
			'yoriai_open_sockets 2',
			'yoriai_loaded_boards 1',
			'yoriai_collab_commit_seconds_count',
			'yoriai_throttled_requests_total{throttle="login"}',
			'# TYPE yoriai_ballots_cast_total counter',
			'yoriai_backup_age_seconds -1',
			'yoriai_process_resident_memory_bytes'
		])
			expect(text, series).toContain(series);
		expect(text).toMatch(/yoriai_collab_commit_seconds_count [1-9]/u);
		// The counter moved by exactly what happened, not merely exists.
		expect(counter(text, THROTTLED) - counter(before, THROTTLED)).toBe(throttled);
		for (const c of [facilitator, other]) {
			c.p.destroy();
			c.doc.destroy();
		}

		// Two ballots stored, and one refused (over the 100 points) that must not count. After
		// the reading above: the vote's board is loaded too, which would change the board count.
		const voter = await createUser(h.db);
		const vote = await pointsVote([participant, voter]);
		const [a, b] = vote.cards as [string, string];
		for (const u of [participant, voter]) {
			const r = await post(await session(u), `${vote.path}?/cast`, `c.${a}=60&c.${b}=40`);
			expect(r.status).toBe(200);
		}
		const over = await post(await session(voter), `${vote.path}?/cast`, `c.${a}=80&c.${b}=80`);
		expect(over.status).toBe(400);
		expect(counter(await scrape(), CAST) - counter(before, CAST)).toBe(2);
	});

	test('LOG-01 log lines are JSON with request id, route, status, duration and user; no secret in them', async () => {
		const cookie = await session(participant);
		const token = cookie.split('=')[1]!;
		const password = 'a-secret-password-that-must-not-be-logged';
		await fetch(`${base}/login`, {
			method: 'POST',
			headers: { Origin: base, 'Content-Type': 'application/x-www-form-urlencoded' },
			body: `username=${participant.username}&password=${password}`,
			redirect: 'manual'
		});
		const account = await fetch(`${base}/account`, {
			headers: { Cookie: cookie, 'X-Request-Id': 'e2e-request-0001' }
		});
		expect(account.headers.get('x-request-id')).toBe('e2e-request-0001');
		// A ballot (LOG-01: never in a log): its request is logged, what it holds is not.
		const vote = await pointsVote([participant]);
		const [a, b, c] = vote.cards as [string, string, string];
		const ballot = `c.${a}=37&c.${b}=51&c.${c}=12`;
		const cast = await post(cookie, `${vote.path}?/cast`, ballot, {
			'X-Request-Id': 'e2e-ballot-0001'
		});
		expect(cast.status).toBe(200);
		// A refused import: one line tied to the request, with why, and none of the file's text.
		const content = 'これはインポートを断られるファイルの本文です';
		const upload = new FormData();
		upload.append('file', new File([content], 'notes.pdf', { type: 'application/pdf' }));
		const refused = await fetch(`${base}/library/import?/upload`, {
			method: 'POST',
			headers: {
				Cookie: await session(admin),
				Origin: base,
				Accept: 'text/html',
				'X-Request-Id': 'e2e-import-0001'
			},
			body: upload,
			redirect: 'manual'
		});
		expect(refused.status).toBe(400);
		// Complete lines only (the last may still be arriving), counted per request id.
		const logLines = () =>
			out
				.split('\n')
				.slice(0, -1)
				.filter((l) => l.startsWith('{'))
				.map((l) => JSON.parse(l) as Record<string, unknown>);
		const linesOf = (id: string) => logLines().filter((l) => l.requestId === id).length;
		await expect.poll(() => linesOf('e2e-request-0001'), { timeout: 5_000 }).toBe(1);
		await expect.poll(() => linesOf('e2e-ballot-0001'), { timeout: 5_000 }).toBe(1);
		// The refusal's own line and the request's.
		await expect.poll(() => linesOf('e2e-import-0001'), { timeout: 5_000 }).toBe(2);
		const lines = logLines();
		const line = lines.find((l) => l.requestId === 'e2e-request-0001');
		expect(line).toMatchObject({
			level: 30,
			msg: 'request',
			method: 'GET',
			route: '/account',
			status: 200,
			userId: participant.id
		});
		expect(typeof line?.ms).toBe('number');
		expect(typeof line?.time).toBe('string');
		expect(out).not.toContain(password);
		expect(out).not.toContain(token);
		expect(out).not.toContain(METRICS_TOKEN);

		// The ballot's request line: who, which route, how it went, how long it took.
		const ballotLine = lines.find((l) => l.requestId === 'e2e-ballot-0001' && l.msg === 'request');
		expect(ballotLine).toMatchObject({
			level: 30,
			method: 'POST',
			route: '/boards/[id]/votes/[sid]',
			status: 200,
			userId: participant.id
		});
		expect(typeof ballotLine?.ms).toBe('number');
		// …and nothing of what it held: not the form body, not one of its fields, not even the
		// ids of the cards it gave points to (nothing else in these requests names those cards).
		expect(out).not.toContain(ballot);
		expect(out).not.toContain(encodeURIComponent(ballot));
		for (const card of [a, b, c]) expect(out).not.toContain(card);

		// The refused upload: its own line beside the request's, at info (the file, not the server).
		const importLines = lines.filter((l) => l.requestId === 'e2e-import-0001');
		expect(importLines.map((l) => l.msg).sort()).toEqual(['import: upload refused', 'request']);
		expect(importLines.find((l) => l.msg === 'import: upload refused')).toMatchObject({
			level: 30,
			userId: admin.id,
			reason: 'extension_mismatch',
			file: 'notes.pdf',
			bytes: Buffer.byteLength(content)
		});
		expect(out).not.toContain(content);
		expect(out).not.toContain('[import]');
	});
});
