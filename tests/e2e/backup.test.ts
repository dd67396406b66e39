import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import SQLite from 'better-sqlite3';
import { WebsocketProvider } from 'y-websocket';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { addCard, readBoard } from '../../src/lib/domain/board/doc';
import { createSession } from '../../src/lib/server/auth/sessions';
import { listBackups, verifyBackup } from '../../src/lib/server/backup/sqlite';
import { createBoard } from '../../src/lib/server/boards/create';
import { CollabStore } from '../../src/lib/server/collab/store';
import { createDb, type SqliteHandle } from '../../src/lib/server/db/connect';
import { E2E } from './env';
import { createUser, expect, SESSION_COOKIE, test, type TestUser } from './fixtures';
import { addSessionCookie } from './session-cookie';

/**
 * Issue 16's backups, end to end against built servers of their own (E2E_PORT+31, +35, +36, +38; +32 would be PostgreSQL's 5432 for E2E_PORT=5400): the
 * command-line backup and restore round trip, a server killed with SIGKILL in the middle of a
 * backup, a backup taken while people edit, restored and every board opened, and the last
 * backup's time and result on the administrator's overview.
 */

interface Served {
	child: ChildProcess;
	port: number;
	base: string;
	dbPath: string;
	output: () => string;
	exited: Promise<unknown>;
}

function serve(port: number, dbPath: string, env: Record<string, string> = {}): Served {
	const child = spawn(process.execPath, ['build-server/main.js'], {
		env: {
			...process.env,
			PORT: String(port),
			HOST: '127.0.0.1',
			DATABASE_PATH: dbPath,
			YORIAI_SEED_ON_START: '0',
			...env
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let out = '';
	child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
	child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
	const exited = new Promise((resolve) => child.on('exit', resolve));
	return { child, port, base: `http://localhost:${port}`, dbPath, output: () => out, exited };
}

async function listening(s: Served): Promise<void> {
	await expect.poll(s.output, { timeout: 30_000 }).toContain('listening');
}

async function stop(s: Served, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
	if (s.child.exitCode !== null || s.child.signalCode !== null) return;
	s.child.kill(signal);
	await s.exited;
}

/** Runs one of the npm scripts' command-line tools; returns its exit code and output. */
async function cli(
	script: 'backup' | 'restore',
	arg: string,
	dbPath: string,
	env: Record<string, string> = {}
) {
	const child = spawn('npx', ['tsx', `server/cli/${script}.ts`, arg], {
		env: { ...process.env, DATABASE_PATH: dbPath, ...env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let out = '';
	child.stdout.on('data', (c: Buffer) => (out += c.toString()));
	child.stderr.on('data', (c: Buffer) => (out += c.toString()));
	const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
	return { code, out };
}

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

function integrity(file: string): string {
	const db = new SQLite(file, { readonly: true });
	try {
		return (db.pragma('integrity_check') as { integrity_check: string }[])
			.map((r) => r.integrity_check)
			.join('; ');
	} finally {
		db.close();
	}
}

async function newBoard(h: SqliteHandle, by: TestUser, title: string): Promise<string> {
	return createBoard(h.db, {
		title,
		purpose: '',
		workshopDate: null,
		template: { type: 'selection', ids: [] },
		cards: [],
		author: { id: by.id, name: by.displayName },
		now: Date.now()
	});
}

/** The stock y-websocket client with `user`'s session, synced with the board. */
async function boardClient(s: Served, h: SqliteHandle, user: TestUser, boardId: string) {
	const { token } = await createSession(h.db, user.id, Date.now(), 'e2e');
	const headers = { Cookie: `${SESSION_COOKIE}=${token}`, Origin: s.base };
	class WithCookie extends WebSocket {
		constructor(url: string | URL, protocols?: string | string[]) {
			super(url, protocols, { headers });
		}
	}
	const doc = new Y.Doc();
	const provider = new WebsocketProvider(`ws://localhost:${s.port}/collab`, boardId, doc, {
		WebSocketPolyfill: WithCookie as unknown as typeof globalThis.WebSocket,
		disableBc: true
	});
	await new Promise<void>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`board ${boardId} did not sync`)), 10_000);
		provider.once('sync', () => {
			clearTimeout(timer);
			resolve();
		});
	});
	return {
		doc,
		destroy: () => {
			provider.destroy();
			doc.destroy();
		}
	};
}

test.describe('backups', () => {
	test.describe.configure({ mode: 'serial' });
	const dir = mkdtempSync(join(tmpdir(), 'yoriai-backup-'));
	test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

	test('DUR backup, verify and restore round trip; restore refuses a database in use', async () => {
		test.setTimeout(120_000);
		const dbPath = join(dir, 'round.db');
		const backups = join(dir, 'round-backups');
		const s = serve(E2E.port + 31, dbPath);
		await listening(s);
		const h = createDb(dbPath);
		const owner = await createUser(h.db);
		const boardId = await newBoard(h, owner, '復元テスト');

		const made = await cli('backup', backups, dbPath);
		expect(made.code, made.out).toBe(0);
		const [file] = listBackups(backups);
		expect(file).toMatch(/yoriai-\d{8}-\d{6}-\d{3}\.db$/u);
		// A single self-contained file, verified: users and the board are in it.
		expect(existsSync(`${file}-wal`)).toBe(false);
		const counts = verifyBackup(file!);
		expect(counts.users).toBe(1);
		expect(counts.boards).toBe(1);
		expect(made.out).toContain('verified');
		// The overview's record of it.
		const run = await h.db.selectFrom('backup_runs').selectAll().executeTakeFirstOrThrow();
		expect([run.ok, run.file]).toEqual([1, file]);

		// Something after the backup, which the restore will take back.
		const late = await createUser(h.db);
		const refused = await cli('restore', file!, dbPath);
		expect(refused.code).toBe(1);
		expect(refused.out).toContain('db:restore refused: another Yoriai process is using');
		// A file that is no backup is refused too.
		const bogus = await cli('restore', join(dir, 'nothing.db'), dbPath);
		expect(bogus.code).toBe(1);
		expect(bogus.out).toContain('is not a usable Yoriai backup');

		await h.db.destroy();
		await stop(s);
		const restored = await cli('restore', file!, dbPath);
		expect(restored.code, restored.out).toBe(0);
		expect(restored.out).toContain('kept the previous file as');
		const again = serve(E2E.port + 31, dbPath);
		await listening(again);
		expect((await fetch(`${again.base}/readyz`)).status).toBe(200);
		const h2 = createDb(dbPath);
		const ids = (await h2.db.selectFrom('users').select('id').execute()).map((u) => u.id);
		expect(ids).toContain(owner.id);
		expect(ids).not.toContain(late.id);
		const board = await boardClient(again, h2, owner, boardId);
		expect(readBoard(board.doc).lanes.length).toBeGreaterThan(0);
		board.destroy();
		await h2.db.destroy();
		await stop(again);
	});

	test('DUR a server killed with SIGKILL mid-backup leaves the database and earlier backups intact', async () => {
		test.setTimeout(180_000);
		const dbPath = join(dir, 'killed.db');
		const backups = join(dir, 'killed-backups');
		// One page per step: the backup of the padded database below takes seconds.
		const env = { BACKUP_DIR: backups, BACKUP_STEP_PAGES: '1' };
		let s = serve(E2E.port + 35, dbPath, env);
		await listening(s);
		const h = createDb(dbPath);
		const admin = await createUser(h.db); // the first account: the administrator
		const { token } = await createSession(h.db, admin.id, Date.now(), 'e2e');
		const backUp = () =>
			fetch(`${s.base}/admin?/backup`, {
				method: 'POST',
				headers: {
					Cookie: `${SESSION_COOKIE}=${token}`,
					Origin: s.base,
					'Content-Type': 'application/x-www-form-urlencoded',
					'x-sveltekit-action': 'true'
				},
				body: ''
			});
		const first = await backUp();
		expect(first.status).toBe(200);
		const [earlier] = listBackups(backups);
		expect(earlier).toBeTruthy();
		const earlierHash = sha(earlier!);

		// Filler, so the next backup runs long enough to be interrupted.
		h.sqlite.exec('create table e2e_filler (b blob)');
		const insert = h.sqlite.prepare('insert into e2e_filler (b) values (randomblob(4000))');
		h.sqlite.transaction(() => {
			for (let i = 0; i < 12_000; i++) insert.run();
		})();
		const usersBefore = (h.sqlite.prepare('select count(*) as n from users').get() as { n: number })
			.n;
		await h.db.destroy();

		const pending = backUp().catch(() => null);
		await expect
			.poll(() => readdirSync(backups).some((f) => f.endsWith('.partial')), {
				timeout: 20_000,
				intervals: [20]
			})
			.toBe(true);
		await stop(s, 'SIGKILL');
		await pending;

		// The earlier backup is byte for byte as it was, and still verifies.
		expect(listBackups(backups)).toEqual([earlier]);
		expect(sha(earlier!)).toBe(earlierHash);
		expect(verifyBackup(earlier!).users).toBe(usersBefore);
		// The database is whole, and the server starts on it.
		expect(integrity(dbPath)).toBe('ok');
		s = serve(E2E.port + 35, dbPath, env);
		await listening(s);
		expect((await fetch(`${s.base}/readyz`)).status).toBe(200);
		// The unfinished file never counts as a backup; the next backup sweeps it.
		const next = await backUp();
		expect(next.status).toBe(200);
		expect(readdirSync(backups).filter((f) => f.endsWith('.partial'))).toEqual([]);
		expect(listBackups(backups)).toHaveLength(2);
		await stop(s);
	});

	test('DUR a backup taken during live edits restores with every acknowledged edit, every board opens', async () => {
		test.setTimeout(180_000);
		const dbPath = join(dir, 'live.db');
		const backups = join(dir, 'live-backups');
		let s = serve(E2E.port + 36, dbPath);
		await listening(s);
		const h = createDb(dbPath);
		const owner = await createUser(h.db);
		const boards = [
			await newBoard(h, owner, 'ボード A'),
			await newBoard(h, owner, 'ボード B'),
			await newBoard(h, owner, 'ボード C')
		];
		const clients = await Promise.all(boards.map((b) => boardClient(s, h, owner, b)));
		const lane = (doc: Y.Doc) => readBoard(doc).lanes[0]!.id;
		let n = 0;
		let editing = true;
		const edits = (async () => {
			while (editing) {
				for (const c of clients)
					addCard(c.doc, {
						title: `カード ${n}`,
						lane: lane(c.doc),
						author: { id: owner.id, name: owner.displayName },
						now: Date.now()
					});
				n++;
				await new Promise((r) => setTimeout(r, 20));
			}
		})();
		/** Cards on disk now, per board: what the server has acknowledged. */
		const store = new CollabStore(h.db, h.sqlite);
		const onDisk = () =>
			boards.map((b) =>
				readBoard(store.loadSync(b).doc).lanes.flatMap((l) => l.cards.map((c) => c.title))
			);

		await expect
			.poll(() => Math.min(...onDisk().map((t) => t.length)), { timeout: 20_000 })
			.toBeGreaterThan(20);
		const before = onDisk();
		const made = await cli('backup', backups, dbPath);
		expect(made.code, made.out).toBe(0);
		editing = false;
		await edits;
		for (const c of clients) c.destroy();
		await h.db.destroy();
		await stop(s);

		const [file] = listBackups(backups);
		const restored = await cli('restore', file!, dbPath);
		expect(restored.code, restored.out).toBe(0);
		s = serve(E2E.port + 36, dbPath);
		await listening(s);
		const h2 = createDb(dbPath);
		for (const [i, b] of boards.entries()) {
			const c = await boardClient(s, h2, owner, b);
			const titles = readBoard(c.doc).lanes.flatMap((l) => l.cards.map((card) => card.title));
			// Every edit on disk before the backup began is in it.
			for (const t of before[i]!) expect(titles, `board ${i}`).toContain(t);
			c.destroy();
		}
		await h2.db.destroy();
		await stop(s);
	});

	test('OPS the overview shows the last backup, its time and result, and a failed one as failed', async ({
		browser
	}) => {
		test.setTimeout(90_000);
		const dbPath = join(dir, 'overview.db');
		const backups = join(dir, 'overview-backups');
		const s = serve(E2E.port + 38, dbPath, { BACKUP_DIR: backups });
		// Stopped whatever happens: a server left running would hold the port for the next run.
		try {
			await listening(s);
			const h = createDb(dbPath);
			const admin = await createUser(h.db); // the first account: the administrator
			const { token } = await createSession(h.db, admin.id, Date.now(), 'e2e');
			const context = await browser.newContext();
			await addSessionCookie(context, token);
			const page = await context.newPage();
			await page.goto(`${s.base}/admin`);
			await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
			const last = page.getByTestId('last-backup');
			await expect(last).toHaveText('まだありません');
			/** The newest recorded run, and its time as the page formats it (same locale and zone). */
			const newestRun = async () => {
				const run = await h.db
					.selectFrom('backup_runs')
					.selectAll()
					.orderBy('id', 'desc')
					.executeTakeFirstOrThrow();
				const at = new Intl.DateTimeFormat('ja', {
					dateStyle: 'medium',
					timeStyle: 'medium'
				}).format(run.finished_at);
				return { ...run, at };
			};

			await page.getByRole('button', { name: '今すぐバックアップ' }).click();
			await expect(page.getByRole('status')).toContainText('バックアップを作成し、検証しました');
			const [file] = listBackups(backups);
			expect(file).toBeTruthy();
			const good = await newestRun();
			expect([good.ok, good.file]).toEqual([1, file]);
			// Without a reload: the overview follows the backup just made.
			await expect(last).toContainText(`${good.at} に成功`);
			await expect(last).toContainText(basename(file!));
			await expect(last.locator('.failed')).toHaveCount(0);

			// BACKUP_DIR stops being usable (a file where the folder was: refused even to root).
			rmSync(backups, { recursive: true, force: true });
			writeFileSync(backups, 'not a folder');
			await page.getByRole('button', { name: '今すぐバックアップ' }).click();
			await expect(page.getByRole('alert')).toContainText('バックアップに失敗しました');
			const bad = await newestRun();
			expect(bad.ok).toBe(0);
			expect(bad.message).not.toBe('');
			// The overview says so at once, in the failure's style, with when and why…
			await expect(last.locator('.failed')).toHaveText(`${bad.at} に失敗: ${bad.message}`);
			await expect(last).not.toContainText('成功');
			// …and still does for whoever opens it later.
			await page.reload();
			await expect(last.locator('.failed')).toHaveText(`${bad.at} に失敗: ${bad.message}`);
			// The failure was logged loudly too.
			expect(s.output()).toContain('BACKUP FAILED');

			await context.close();
			await h.db.destroy();
		} finally {
			await stop(s);
		}
	});
});
