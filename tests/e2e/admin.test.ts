import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request as pwRequest } from '@playwright/test';
import WebSocket from 'ws';
import { createDb } from '../../src/lib/server/db/connect';
import type { DbHandle } from '../../src/lib/server/db/open';
import { pgDb } from '../../src/lib/server/db/postgres';
import { createPgDatabase, dropPgDatabase } from '../helpers/db';
import { createSession } from '../../src/lib/server/auth/sessions';
import { createInvite } from '../../src/lib/server/boards/invites';
import { loadServerSecret } from '../../src/lib/server/auth/server-secret';
import { catalogues } from '../../src/lib/i18n/messages';
import { addComment, readBoard, readComments } from '../../src/lib/domain/board/doc';
import { seriousViolations } from './a11y';
import { craftedClient } from './crafted-client';
import { E2E } from './env';
import {
	createUser,
	e2eDb,
	expect,
	makeBoard,
	open,
	SESSION_COOKIE,
	signIn,
	storedBoardDoc,
	test,
	type TestUser
} from './fixtures';

/**
 * Issue 16: the administration pages. Everything here that changes instance-wide policy runs on
 * a server of its own (E2E_PORT+30), so the shared server's other tests never see it.
 */

async function makeAdmin(user: TestUser, db = e2eDb().db): Promise<TestUser> {
	await db.updateTable('users').set({ is_admin: 1 }).where('id', '=', user.id).execute();
	return user;
}

/** An HTTP client with `user`'s session, posting like a same-origin browser form. */
async function clientAs(user: TestUser | null, baseURL = E2E.baseURL, db = e2eDb().db) {
	const headers: Record<string, string> = { Origin: baseURL, Accept: 'text/html' };
	if (user) {
		const { token } = await createSession(db, user.id, Date.now(), 'e2e');
		headers.Cookie = `${SESSION_COOKIE}=${token}`;
	}
	return pwRequest.newContext({ baseURL, extraHTTPHeaders: headers });
}

/** Every administration page and every action on them (AC-01: each checked on its own). */
const ADMIN_GETS = [
	'/admin',
	'/admin/users',
	'/admin/policies',
	'/admin/audit',
	'/admin/audit/export'
];
const ADMIN_POSTS: [string, Record<string, string>][] = [
	['/admin?/backup', {}],
	['/admin/users?/disable', { user: '1' }],
	['/admin/users?/enable', { user: '1' }],
	['/admin/users?/grant', { user: '1' }],
	['/admin/users?/revoke', { user: '1' }],
	['/admin/users?/reset', { user: '1' }],
	['/admin/policies?/registration', { policy: 'closed' }],
	['/admin/policies?/boards', { policy: 'admins' }],
	['/admin/policies?/addCreator', { username: 'someone' }],
	['/admin/policies?/removeCreator', { user: '1' }]
];

test('AC-01 every administration route and action answers 403 to a participant and changes nothing', async () => {
	const participant = await createUser(e2eDb().db);
	// On a fresh database the first account is the administrator: this one must not be.
	await e2eDb()
		.db.updateTable('users')
		.set({ is_admin: 0 })
		.where('id', '=', participant.id)
		.execute();
	const c = await clientAs(participant);
	const before = await e2eDb()
		.db.selectFrom('admin_audit')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.executeTakeFirstOrThrow();
	for (const path of ADMIN_GETS) {
		const r = await c.get(path, { maxRedirects: 0 });
		expect(r.status(), path).toBe(403);
	}
	// Client-side navigation's data requests carry the refusal in their payload, and no data.
	for (const path of [
		'/admin/__data.json',
		'/admin/users/__data.json',
		'/admin/audit/__data.json'
	]) {
		const body = await (await c.get(path, { maxRedirects: 0 })).text();
		expect(body, path).toContain('"status":403');
		for (const key of ['overview', 'entries', 'users', 'creators'])
			expect(body, path).not.toContain(`"${key}"`);
	}
	for (const [path, form] of ADMIN_POSTS) {
		const r = await c.post(path, { form, maxRedirects: 0 });
		expect(r.status(), path).toBe(403);
	}
	// And nobody signed out is let in either: they are sent to sign in.
	const anon = await clientAs(null);
	for (const path of ADMIN_GETS) {
		const r = await anon.get(path, { maxRedirects: 0 });
		expect(r.status(), path).toBe(303);
		expect(r.headers().location, path).toMatch(/^\/login\?redirectTo=/u);
	}
	const after = await e2eDb()
		.db.selectFrom('admin_audit')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.executeTakeFirstOrThrow();
	// Other workers may audit meanwhile, but never as this participant.
	expect(Number(after.n)).toBeGreaterThanOrEqual(Number(before.n));
	const mine = await e2eDb()
		.db.selectFrom('admin_audit')
		.select('id')
		.where('actor_id', '=', participant.id)
		.execute();
	expect(mine).toEqual([]);
	await c.dispose();
	await anon.dispose();
});

test('A11Y-01 an administrator sees the overview, users, policies and audit log', async ({
	page,
	user
}) => {
	await makeAdmin(user);
	await signIn(page.context(), user, E2E.baseURL);
	await open(page, '/admin');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('インスタンスの管理');
	await expect(page.getByTestId('users')).toContainText('管理者');
	await expect(page.getByText('バージョン')).toBeVisible();
	await expect(page.getByText('データベースの大きさ')).toBeVisible();
	expect(await seriousViolations(page)).toEqual([]);
	await page.getByRole('link', { name: 'ユーザー', exact: true }).click();
	await page.getByLabel('ユーザーを検索').fill(user.username);
	await page.getByRole('button', { name: '検索', exact: true }).click();
	await expect(page.locator(`tr[data-username="${user.username}"]`)).toContainText(
		'テスト株式会社'
	);
	expect(await seriousViolations(page)).toEqual([]);
	await open(page, '/admin/policies');
	await expect(page.getByRole('group', { name: 'アカウントの登録' })).toBeVisible();
	expect(await seriousViolations(page)).toEqual([]);
	await open(page, '/admin/audit');
	expect(await seriousViolations(page)).toEqual([]);
});

test('the user search finds people by sector: its label in the reader’s language and its code', async ({
	page,
	browser,
	user
}) => {
	const admin = await makeAdmin(user); // an industry account
	const official = await createUser(e2eDb().db, { sector: 'government', displayName: '霞 太郎' });
	await signIn(page.context(), admin, E2E.baseURL);
	const row = (p: typeof page, u: TestUser) => p.locator(`tr[data-username="${u.username}"]`);
	await open(page, '/admin/users');
	await page.getByLabel('ユーザーを検索').fill('行政');
	await page.getByRole('button', { name: '検索', exact: true }).click();
	await expect(row(page, official)).toContainText('行政');
	await expect(row(page, admin)).toHaveCount(0);
	await open(page, '/admin/users?q=government');
	await expect(row(page, official)).toBeVisible();
	await expect(row(page, admin)).toHaveCount(0);
	// An English reader types the English label.
	const en = await browser.newContext({ locale: 'en-US' });
	await signIn(en, admin, E2E.baseURL);
	const enPage = await en.newPage();
	await open(enPage, '/admin/users?q=Government');
	await expect(row(enPage, official)).toContainText('Government');
	await expect(row(enPage, admin)).toHaveCount(0);
	await en.close();
});

/** A realtime socket on the board with the user's own session, as a browser would open it. */
async function openSocket(user: TestUser, boardId: string) {
	const { token } = await createSession(e2eDb().db, user.id, Date.now(), 'e2e socket');
	const ws = new WebSocket(`ws://localhost:${E2E.port}/collab/${boardId}`, {
		headers: { Cookie: `${SESSION_COOKIE}=${token}`, Origin: E2E.baseURL }
	});
	const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
	await new Promise<void>((resolve, reject) => {
		ws.once('open', () => resolve());
		ws.once('error', reject);
	});
	return { ws, closed };
}

test('disabling a user closes their open board socket at once, refuses sign-in and keeps their cards', async ({
	page,
	user
}) => {
	const admin = await makeAdmin(user);
	const person = await createUser(e2eDb().db);
	const boardId = await makeBoard(admin, [[person, 'participant']]);
	// Something the person wrote: a comment under their name in the board's document.
	const writer = await craftedClient(person, boardId);
	const cardId = readBoard(writer.doc).lanes.flatMap((l) => l.cards)[0]?.id ?? '';
	addComment(writer.doc, cardId, {
		text: '現場の声を反映すべき',
		author: { id: person.id, name: person.displayName },
		now: Date.now()
	});
	const stored = () => storedComments(boardId, cardId);
	await expect
		.poll(async () => (await stored()).map((c) => c.text))
		.toEqual(['現場の声を反映すべき']);
	writer.destroy();
	const socket = await openSocket(person, boardId);

	await signIn(page.context(), admin, E2E.baseURL);
	await open(page, `/admin/users?q=${person.username}`);
	await page.getByRole('button', { name: `無効にする: ${person.username}` }).click();
	await expect(page.getByRole('status')).toContainText('無効にしました');
	// WS-12: closed by the server as a revoked session (4401), not by a later re-check.
	const code = await Promise.race([
		socket.closed,
		new Promise<number>((r) => setTimeout(() => r(-1), 5_000))
	]);
	expect(code).toBe(4401);

	// Sign-in with the right password is refused, saying why.
	const c = await clientAs(null);
	const login = await c.post('/login', {
		form: { username: person.username, password: person.password },
		maxRedirects: 0
	});
	expect(login.status()).toBe(403);
	expect(await login.text()).toContain(catalogues.ja['admin.error.disabled_login']);
	// A session created any other way is not honoured either.
	const stale = await clientAs(person);
	expect((await stale.get('/account', { maxRedirects: 0 })).status()).toBe(303);

	// What they contributed stays on the board, under their name, and they stay a member.
	expect((await stored()).map((c) => [c.text, c.by.name])).toEqual([
		['現場の声を反映すべき', person.displayName]
	]);
	const member = await e2eDb()
		.db.selectFrom('board_members')
		.select('role')
		.where('board_id', '=', boardId)
		.where('user_id', '=', person.id)
		.executeTakeFirst();
	expect(member?.role).toBe('participant');

	// Re-enabled, they sign in again.
	await page.getByRole('button', { name: `有効にする: ${person.username}` }).click();
	await expect(page.getByRole('status')).toContainText('有効にしました');
	const again = await c.post('/login', {
		form: { username: person.username, password: person.password },
		maxRedirects: 0
	});
	expect(again.status()).toBe(303);
	await c.dispose();
	await stale.dispose();
});

test('SESS-08 a one-time reset link sets a new password, ends every other session and works once', async ({
	page,
	browser,
	user
}) => {
	const admin = await makeAdmin(user);
	const person = await createUser(e2eDb().db);
	const elsewhere = await clientAs(person);
	expect((await elsewhere.get('/account', { maxRedirects: 0 })).status()).toBe(200);

	await signIn(page.context(), admin, E2E.baseURL);
	await open(page, `/admin/users?q=${person.username}`);
	await page.getByRole('button', { name: `パスワード再設定リンク: ${person.username}` }).click();
	const link = await page.getByTestId('reset-link').inputValue();
	expect(link).toMatch(new RegExp(`^${E2E.baseURL}/reset/[a-z2-7]{32}$`, 'u'));
	// Only its hash is stored.
	const stored = await e2eDb()
		.db.selectFrom('password_resets')
		.select('token_hash')
		.where('user_id', '=', person.id)
		.execute();
	expect(stored).toHaveLength(1);
	expect(stored[0]?.token_hash).not.toContain(link.split('/').pop());
	// Shown once: reloading the page does not show it again.
	await open(page, `/admin/users?q=${person.username}`);
	await expect(page.getByTestId('reset-link')).toHaveCount(0);

	const guest = await (await browser.newContext()).newPage();
	await open(guest, link);
	await expect(guest.getByText(`${person.username} さんの新しいパスワード`)).toBeVisible();
	// A weak password is refused and changes nothing.
	await guest.getByLabel('新しいパスワード').fill('short');
	await guest.getByRole('button', { name: 'パスワードを設定' }).click();
	await expect(guest.locator('#new_password-error')).toBeVisible();
	const fresh = 'a brand new workshop passphrase';
	await guest.getByLabel('新しいパスワード').fill(fresh);
	await guest.getByRole('button', { name: 'パスワードを設定' }).click();
	await expect(guest).toHaveURL(`${E2E.baseURL}/`);
	// This browser is signed in; the session elsewhere has ended.
	await open(guest, '/account');
	await expect(guest).toHaveURL(`${E2E.baseURL}/account`);
	expect((await elsewhere.get('/account', { maxRedirects: 0 })).status()).toBe(303);

	// The link works once.
	const again = await guest.request.get(link, { maxRedirects: 0 });
	expect(again.status()).toBe(410);
	const c = await clientAs(null);
	const old = await c.post('/login', {
		form: { username: person.username, password: person.password },
		maxRedirects: 0
	});
	expect(old.status()).toBe(400);
	const ok = await c.post('/login', {
		form: { username: person.username, password: fresh },
		maxRedirects: 0
	});
	expect(ok.status()).toBe(303);

	// The instance audit log has both, and exports them as CSV.
	await open(page, '/admin/audit');
	// In words: whom it was about and until when the link worked, never "user:12".
	const issued = page.getByRole('row').filter({ hasText: 'パスワード再設定リンクを発行' }).first();
	await expect(issued).toContainText(admin.displayName);
	await expect(issued).toContainText(`@${person.username}`);
	await expect(issued).toContainText('有効期限');
	await expect(page.getByRole('table')).not.toContainText('user:');
	const csv = await page.request.get('/admin/audit/export');
	expect(csv.status()).toBe(200);
	expect(csv.headers()['content-type']).toContain('text/csv');
	const text = await csv.text();
	expect(text.charCodeAt(0)).toBe(0xfeff);
	expect(text).toContain(`@${person.username}`);
	// The stored entry rides along as JSON for machines.
	expect(text).toContain(`""username"":""${person.username}""`);
	expect(text).toContain('パスワードを再設定');
	await elsewhere.dispose();
	await c.dispose();
	await guest.context().close();
});

/** A built server of its own (policies are instance-wide), with a fresh database. */
interface OwnServer {
	child: ChildProcess;
	base: string;
	db: DbHandle;
	dir: string;
	/** The PostgreSQL database of its own, when the run is on PostgreSQL. */
	pgName: string | null;
	output: () => string;
}

/** The comments under `cardId` in the board's stored document (the main server's database). */
async function storedComments(boardId: string, cardId: string) {
	const doc = await storedBoardDoc(boardId);
	try {
		return readComments(doc, cardId);
	} finally {
		doc.destroy();
	}
}

async function startOwnServer(
	offset: number,
	env: Record<string, string> = {}
): Promise<OwnServer> {
	const dir = mkdtempSync(join(tmpdir(), 'yoriai-admin-'));
	const port = E2E.port + offset;
	const dbPath = join(dir, 'y.db');
	// On the PostgreSQL run (playwright.postgres.config.ts) its own server is on PostgreSQL too.
	const pgName = E2E.databaseUrl ? `yoriai_pg_e2e_own_${port}` : null;
	if (pgName) await dropPgDatabase(pgName);
	const pgUrl = pgName ? await createPgDatabase(pgName) : null;
	const child = spawn(process.execPath, ['build-server/main.js'], {
		env: {
			...process.env,
			PORT: String(port),
			HOST: '127.0.0.1',
			...(pgUrl
				? { DATABASE_URL: pgUrl, YORIAI_SECRET_FILE: `${dbPath}.secret` }
				: { DATABASE_PATH: dbPath }),
			YORIAI_SEED_ON_START: '0',
			YORIAI_THROTTLE_SCALE: '0.001',
			...env
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let out = '';
	child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
	child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
	await expect.poll(() => out, { timeout: 30_000 }).toContain('listening');
	const db = pgUrl ? pgDb(pgUrl) : createDb(dbPath);
	return { child, base: `http://localhost:${port}`, db, dir, pgName, output: () => out };
}

async function stopOwnServer(s: OwnServer): Promise<void> {
	await s.db.db.destroy();
	if (s.child.exitCode === null && s.child.signalCode === null) {
		const exited = new Promise((resolve) => s.child.on('exit', resolve));
		s.child.kill('SIGTERM');
		await exited;
	}
	if (s.pgName) await dropPgDatabase(s.pgName);
	rmSync(s.dir, { recursive: true, force: true });
}

test.describe('instance policies (a server of their own)', () => {
	test.describe.configure({ mode: 'serial' });
	let s: OwnServer;
	let admin: TestUser;

	test.beforeAll(async () => {
		test.setTimeout(60_000);
		s = await startOwnServer(30);
		// The first account of an instance is its administrator.
		admin = await createUser(s.db.db);
	});
	test.afterAll(async () => stopOwnServer(s));

	test('the last administrator can be neither unmade nor disabled; a second one can', async () => {
		const c = await clientAs(admin, s.base, s.db.db);
		const unmake = await c.post('/admin/users?/revoke', {
			form: { user: String(admin.id) },
			maxRedirects: 0
		});
		expect(unmake.status()).toBe(409);
		expect(await unmake.text()).toContain(catalogues.ja['admin.error.last_admin']);
		const self = await c.post('/admin/users?/disable', {
			form: { user: String(admin.id) },
			maxRedirects: 0
		});
		expect(self.status()).toBe(409);
		const second = await createUser(s.db.db);
		expect(
			(
				await c.post('/admin/users?/grant', { form: { user: String(second.id) }, maxRedirects: 0 })
			).status()
		).toBe(200);
		// An administrator is unmade before being disabled, so one always remains.
		expect(
			(
				await c.post('/admin/users?/disable', {
					form: { user: String(second.id) },
					maxRedirects: 0
				})
			).status()
		).toBe(409);
		expect(
			(
				await c.post('/admin/users?/revoke', { form: { user: String(second.id) }, maxRedirects: 0 })
			).status()
		).toBe(200);
		await c.dispose();
	});

	test('invite-only registration refuses /register without an invite and still works through one', async ({
		browser
	}) => {
		const c = await clientAs(admin, s.base, s.db.db);
		expect(
			(
				await c.post('/admin/policies?/registration', {
					form: { policy: 'invite' },
					maxRedirects: 0
				})
			).status()
		).toBe(200);
		const anon = await clientAs(null, s.base, s.db.db);
		const page = await anon.get('/register');
		expect(await page.text()).toContain(catalogues.ja['register.inviteOnly']);
		const post = await anon.post('/register', {
			form: {
				username: 'newcomer1',
				display_name: '新しい人',
				password: 'a long enough passphrase',
				sector: 'academia',
				organisation: '大学'
			},
			maxRedirects: 0
		});
		expect(post.status()).toBe(403);
		const none = await s.db.db
			.selectFrom('users')
			.select('id')
			.where('username_key', '=', 'newcomer1')
			.execute();
		expect(none).toEqual([]);

		// Through a board's invite link it works.
		const boardId = await makeBoardOn(s, admin);
		const { token } = await createInvite(s.db.db, loadServerSecret(join(s.dir, 'y.db.secret')), {
			boardId,
			role: 'participant',
			expiresAt: Date.now() + 3_600_000,
			maxUses: 5,
			note: '',
			by: admin.id,
			now: Date.now()
		});
		const guest = await (await browser.newContext()).newPage();
		await guest.goto(`${s.base}/invite/${token}`);
		await guest.locator('html[data-hydrated]').waitFor({ state: 'attached' });
		await guest.locator('#username').fill('newcomer2');
		await guest.locator('#display_name').fill('招待された人');
		await guest.locator('#password').fill('a long enough passphrase');
		await guest.locator('#sector').selectOption('academia');
		await guest.locator('#organisation').fill('大学');
		await guest.getByRole('button', { name: 'アカウントを作成して参加' }).click();
		await expect(guest).toHaveURL(`${s.base}/boards/${boardId}`);

		// Closed: not even through an invite.
		expect(
			(
				await c.post('/admin/policies?/registration', {
					form: { policy: 'closed' },
					maxRedirects: 0
				})
			).status()
		).toBe(200);
		const closed = await anon.get('/register');
		expect(await closed.text()).toContain(catalogues.ja['register.closed']);
		const audit = await s.db.db
			.selectFrom('admin_audit')
			.select(['kind', 'detail'])
			.where('kind', '=', 'registration_policy')
			.orderBy('id')
			.execute();
		expect(audit.map((a) => JSON.parse(a.detail) as unknown)).toEqual([
			{ from: 'open', to: 'invite' },
			{ from: 'invite', to: 'closed' }
		]);
		await guest.context().close();
		await c.dispose();
		await anon.dispose();
	});

	test('board creation restricted to administrators, then to a list, takes effect at once', async () => {
		const person = await createUser(s.db.db);
		const them = await clientAs(person, s.base, s.db.db);
		expect((await them.get('/boards/new', { maxRedirects: 0 })).status()).toBe(200);
		expect(await (await them.get('/boards')).text()).toContain('href="/boards/new"');
		const c = await clientAs(admin, s.base, s.db.db);
		await c.post('/admin/policies?/boards', { form: { policy: 'admins' }, maxRedirects: 0 });
		const refused = await them.get('/boards/new', { maxRedirects: 0 });
		expect(refused.status()).toBe(403);
		expect(await refused.text()).toContain(catalogues.ja['admin.error.board_creation']);
		// Nor is the button offered to them any more.
		const boards = await (await them.get('/boards')).text();
		expect(boards).not.toContain('href="/boards/new"');
		const post = await them.post('/boards/new', {
			form: { title: 'x', source: 'report', report: 'cocn-7th-basic-plan-2025', kinds: 'proposal' },
			maxRedirects: 0
		});
		expect(post.status()).toBe(403);
		expect((await c.get('/boards/new', { maxRedirects: 0 })).status()).toBe(200);

		await c.post('/admin/policies?/boards', { form: { policy: 'list' }, maxRedirects: 0 });
		const unknown = await c.post('/admin/policies?/addCreator', {
			form: { username: 'nobody-here' },
			maxRedirects: 0
		});
		expect(unknown.status()).toBe(404);
		await c.post('/admin/policies?/addCreator', {
			form: { username: person.username },
			maxRedirects: 0
		});
		expect((await them.get('/boards/new', { maxRedirects: 0 })).status()).toBe(200);
		await c.post('/admin/policies?/removeCreator', {
			form: { user: String(person.id) },
			maxRedirects: 0
		});
		expect((await them.get('/boards/new', { maxRedirects: 0 })).status()).toBe(403);
		const kinds = await s.db.db
			.selectFrom('admin_audit')
			.select('kind')
			.where('kind', 'in', ['board_policy', 'board_creator_added', 'board_creator_removed'])
			.orderBy('id')
			.execute();
		expect(kinds.map((k) => k.kind)).toEqual([
			'board_policy',
			'board_policy',
			'board_creator_added',
			'board_creator_removed'
		]);
		await c.dispose();
		await them.dispose();
	});
});

/** A board on the test's own server (its library is not seeded: one hand-made card). */
async function makeBoardOn(s: OwnServer, facilitator: TestUser): Promise<string> {
	const { createBoard } = await import('../../src/lib/server/boards/create');
	return createBoard(s.db.db, {
		title: '招待テスト',
		purpose: '',
		workshopDate: null,
		template: { type: 'selection', ids: [] },
		cards: [],
		author: { id: facilitator.id, name: facilitator.displayName },
		now: Date.now()
	});
}

/** A vote session on the board with one ballot by `voter` on its first card (straight in SQL). */
async function voteWithBallot(
	boardId: string,
	facilitator: TestUser,
	voter: TestUser,
	cardId: string,
	status: 'open' | 'closed'
): Promise<number> {
	const { db } = e2eDb();
	const now = Date.now();
	const session = await db
		.insertInto('vote_sessions')
		.values({
			board_id: boardId,
			title: status === 'open' ? '投票中' : '締め切り済み',
			method: 'approval',
			settings: JSON.stringify({ method: 'approval' }),
			cards: JSON.stringify([cardId]),
			anonymous: 1,
			min_group: 3,
			deadline: null,
			status,
			opened_by: facilitator.id,
			opened_at: now,
			closed_at: status === 'closed' ? now : null,
			revealed_at: null
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	const ballot = await db
		.insertInto('ballots')
		.values({
			session_id: session.id,
			user_id: voter.id,
			sector: voter.sector,
			cast_at: now,
			updated_at: now
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	await db
		.insertInto('ballot_entries')
		.values({ ballot_id: ballot.id, card_id: cardId, value: 1, value2: null, wording_hash: 'x' })
		.execute();
	return session.id;
}

test.describe('people’s own data', () => {
	test('APPI download my data: account, boards, comments read from the board, ballots; no secrets', async ({
		page,
		user
	}) => {
		const person = await createUser(e2eDb().db);
		const boardId = await makeBoard(user, [[person, 'participant']]);
		const writer = await craftedClient(person, boardId);
		const cardId = readBoard(writer.doc).lanes.flatMap((l) => l.cards)[0]!.id;
		addComment(writer.doc, cardId, {
			text: '私のコメント',
			author: { id: person.id, name: person.displayName },
			now: Date.now()
		});
		await expect.poll(async () => (await storedComments(boardId, cardId)).length).toBe(1);
		writer.destroy();
		await voteWithBallot(boardId, user, person, cardId, 'open');

		const token = await signIn(page.context(), person, E2E.baseURL);
		await open(page, '/account');
		expect(await seriousViolations(page)).toEqual([]);
		const download = page.waitForEvent('download');
		await page.getByRole('link', { name: 'データをダウンロード（JSON）' }).click();
		const file = await (await download).path();
		const text = (await import('node:fs')).readFileSync(file, 'utf8');
		const data = JSON.parse(text) as {
			format: string;
			account: { username: string };
			memberships: { board: string; role: string }[];
			comments: { board: string; text: string }[];
			ballots: { board: string; status: string; choices: { card: string }[] }[];
		};
		expect(data.format).toBe('yoriai.personal-data');
		expect(data.account.username).toBe(person.username);
		expect(data.memberships).toContainEqual(
			expect.objectContaining({ board: boardId, role: 'participant' })
		);
		expect(data.comments).toEqual([
			expect.objectContaining({ board: boardId, text: '私のコメント' })
		]);
		expect(data.ballots).toEqual([
			expect.objectContaining({
				board: boardId,
				status: 'open',
				choices: [{ card: cardId, value: 1, value2: null }]
			})
		]);
		expect(text).not.toContain('password_hash');
		expect(text).not.toContain('$argon2');
		expect(text).not.toContain(token);
		// Only one's own: another person's download has none of it.
		const other = await clientAs(user);
		const theirs = await (await other.get('/account/data')).text();
		expect(theirs).not.toContain('私のコメント');
		await other.dispose();
	});

	test('APPI deleting an account ends its sessions, renames its writing, withdraws open ballots and keeps closed ones', async ({
		page,
		user
	}) => {
		const person = await createUser(e2eDb().db);
		const boardId = await makeBoard(user, [[person, 'participant']]);
		const writer = await craftedClient(person, boardId);
		const cardId = readBoard(writer.doc).lanes.flatMap((l) => l.cards)[0]!.id;
		addComment(writer.doc, cardId, {
			text: '退会前のコメント',
			author: { id: person.id, name: person.displayName },
			now: Date.now()
		});
		const comments = () => storedComments(boardId, cardId);
		await expect.poll(async () => (await comments()).length).toBe(1);
		writer.destroy();
		const openVote = await voteWithBallot(boardId, user, person, cardId, 'open');
		const closedVote = await voteWithBallot(boardId, user, person, cardId, 'closed');
		const elsewhere = await clientAs(person);

		await signIn(page.context(), person, E2E.baseURL);
		await open(page, '/account');
		// A wrong confirmation changes nothing.
		await page
			.getByLabel(`確認のため、ユーザー名（${person.username}）を入力してください`)
			.fill('someone-else');
		await page.getByRole('button', { name: 'アカウントを削除する' }).click();
		await expect(page.locator('#confirm-error')).toContainText('一致しません');
		await page
			.getByLabel(`確認のため、ユーザー名（${person.username}）を入力してください`)
			.fill(person.username);
		await page.getByRole('button', { name: 'アカウントを削除する' }).click();
		await expect(page.getByRole('status')).toContainText('アカウントを削除しました');

		const { db } = e2eDb();
		const ballots = async (session: number) =>
			(await db.selectFrom('ballots').select('id').where('session_id', '=', session).execute())
				.length;
		expect(await ballots(openVote)).toBe(0);
		expect(await ballots(closedVote)).toBe(1);
		// Every session ended; sign-in with the old name and password fails like an unknown user.
		expect((await elsewhere.get('/account', { maxRedirects: 0 })).status()).toBe(303);
		const c = await clientAs(null);
		const login = await c.post('/login', {
			form: { username: person.username, password: person.password },
			maxRedirects: 0
		});
		expect(login.status()).toBe(400);
		// Their comment stays, under 「退会したユーザー」.
		await expect
			.poll(async () => (await comments()).map((m) => [m.text, m.by.name]))
			.toEqual([['退会前のコメント', '退会したユーザー']]);
		const row = await db
			.selectFrom('users')
			.select(['display_name', 'organisation', 'deleted_at'])
			.where('id', '=', person.id)
			.executeTakeFirstOrThrow();
		expect(row.display_name).toBe('退会したユーザー');
		expect(row.organisation).toBe('');
		expect(row.deleted_at).not.toBeNull();
		// The audit log keeps that it happened.
		const audit = await db
			.selectFrom('admin_audit')
			.select(['kind', 'detail'])
			.where('subject', '=', `user:${person.id}`)
			.execute();
		expect(audit.map((a) => a.kind)).toEqual(['account_deleted']);
		expect(JSON.parse(audit[0]!.detail)).toEqual({ boards: 1, withdrawnBallots: 1 });
		await elsewhere.dispose();
		await c.dispose();
	});
});
