import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createBoard } from '../../src/lib/server/boards/create';
import {
	createInvite,
	inspectInvite,
	inviteToken,
	showableToken,
	listInvites,
	redeemInvite,
	revokeInvite
} from '../../src/lib/server/boards/invites';
import { addMember, getRole } from '../../src/lib/server/boards/members';
import { dirname, join } from 'node:path';
import { tmpdir } from 'node:os';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { loadServerSecret } from '../../src/lib/server/auth/server-secret';
import { hashToken } from '../../src/lib/server/auth/tokens';
import { tempDb } from '../helpers/db';
import { createUser, type TestUser } from '../helpers/users';

let t: Awaited<ReturnType<typeof tempDb>>;
let fac: TestUser;
let board: string;
const now = Date.UTC(2026, 10, 22, 9);

beforeEach(async () => {
	t = await tempDb();
	fac = await createUser(t.db, { displayName: '司会' });
	board = await createBoard(t.db, {
		title: 'B',
		purpose: '',
		workshopDate: null,
		template: { type: 'selection', ids: ['cocn25-001'] },
		cards: [],
		author: { id: fac.id, name: fac.displayName },
		now
	});
});
afterEach(async () => {
	await t.cleanup();
});

const secret = crypto.getRandomValues(new Uint8Array(32));
const invite = (over: Partial<Parameters<typeof createInvite>[2]> = {}) =>
	createInvite(t.db, secret, {
		boardId: board,
		role: 'participant',
		expiresAt: now + 3600_000,
		maxUses: 5,
		note: '',
		by: fac.id,
		now,
		...over
	});

describe('invites', () => {
	test('INV-01 the token is 160 bits of HMAC under the server secret and only its SHA-256 is stored', async () => {
		const { id, token } = await invite();
		expect(token).toMatch(/^[a-z2-7]{32}$/u);
		const rows = await t.db.selectFrom('board_invites').selectAll().execute();
		expect(rows[0]?.token_hash).toBe(hashToken(token));
		expect(JSON.stringify(rows)).not.toContain(token);
		// The server shows it again from the secret; another secret (a database copy) cannot.
		const stored = { id, tokenHash: rows[0]?.token_hash ?? '' };
		expect(showableToken(secret, stored)).toBe(token);
		const other = crypto.getRandomValues(new Uint8Array(32));
		expect(showableToken(other, stored)).toBeNull();
		expect(inviteToken(other, id)).not.toBe(token);
		// Two invites never share a token.
		expect((await invite()).token).not.toBe(token);
	});

	test('INV-01 the server secret is created once, 0600, outside the database, and kept', async () => {
		const path = join(mkdtempSync(join(tmpdir(), 'yoriai-secret-')), 'server.secret');
		const a = loadServerSecret(path);
		expect(a).toHaveLength(32);
		expect(statSync(path).mode & 0o777).toBe(0o600);
		expect(loadServerSecret(path)).toEqual(a);
		writeFileSync(path, 'not a secret');
		expect(() => loadServerSecret(path)).toThrow(/not a Yoriai secret/u);
		rmSync(dirname(path), { recursive: true });
	});

	test('INV-01 processes starting at once on one secret file all read the same secret', async () => {
		const path = join(mkdtempSync(join(tmpdir(), 'yoriai-secret-')), 'server.secret');
		const module = JSON.stringify(
			pathToFileURL(join(import.meta.dirname, '../../src/lib/server/auth/server-secret.ts')).href
		);
		const script = `const { loadServerSecret } = await import(${module});
			process.stdout.write(Buffer.from(loadServerSecret(${JSON.stringify(path)})).toString('hex'));`;
		const run = () =>
			new Promise<string>((resolve, reject) =>
				execFile(
					process.execPath,
					['--import', 'tsx', '--input-type=module', '-e', script],
					(e, out) => (e ? reject(e) : resolve(out))
				)
			);
		const secrets = await Promise.all(Array.from({ length: 6 }, run));
		expect(new Set(secrets).size).toBe(1);
		expect(secrets[0]).toMatch(/^[0-9a-f]{64}$/u);
		expect(readdirSync(dirname(path))).toEqual(['server.secret']);
		rmSync(dirname(path), { recursive: true });
	}, 30_000);

	test("the facilitator's note never reaches the invited person; the welcome message does", async () => {
		const { token } = await invite({ note: '大阪会場の分', welcome: 'ようこそ！' });
		const r = await inspectInvite(t.db, token, now);
		expect(r).toMatchObject({ ok: true, invite: { welcome: 'ようこそ！' } });
		expect(JSON.stringify(r)).not.toContain('大阪会場の分');
	});

	test('INV-02 role, board, expiry, uses and revocation are properties of the invite', async () => {
		const { token } = await invite({ maxUses: 1 });
		expect(await inspectInvite(t.db, token, now + 3600_000)).toEqual({
			ok: false,
			problem: 'expired'
		});
		expect(await inspectInvite(t.db, 'a'.repeat(32), now)).toEqual({
			ok: false,
			problem: 'not_found'
		});
		expect(await inspectInvite(t.db, "' or 1=1 --", now)).toEqual({
			ok: false,
			problem: 'not_found'
		});
		const u = await createUser(t.db);
		expect(await redeemInvite(t.db, token, u.id, now)).toMatchObject({
			ok: true,
			role: 'participant',
			joined: true
		});
		const v = await createUser(t.db);
		expect(await redeemInvite(t.db, token, v.id, now)).toEqual({ ok: false, problem: 'used_up' });
		const second = await invite();
		expect(await revokeInvite(t.db, board, second.id, now)).toBe(true);
		expect(await redeemInvite(t.db, second.token, v.id, now)).toEqual({
			ok: false,
			problem: 'revoked'
		});
		expect(await getRole(t.db, board, v.id)).toBeNull();
	});

	test('AC-02 an invite id of another board cannot be revoked from this one', async () => {
		const other = await createBoard(t.db, {
			title: 'C',
			purpose: '',
			workshopDate: null,
			template: { type: 'selection', ids: ['cocn25-001'] },
			cards: [],
			author: { id: fac.id, name: fac.displayName },
			now
		});
		const { id } = await invite({ boardId: other });
		expect(await revokeInvite(t.db, board, id, now)).toBe(false);
		expect((await listInvites(t.db, other))[0]?.revokedAt).toBeNull();
	});

	test('INV-04 redeeming never changes an existing member’s role and is idempotent', async () => {
		const { token } = await invite({ role: 'observer' });
		expect(await redeemInvite(t.db, token, fac.id, now)).toMatchObject({
			ok: true,
			role: 'facilitator',
			joined: false
		});
		expect(await getRole(t.db, board, fac.id)).toBe('facilitator');
		const u = await createUser(t.db);
		await addMember(t.db, board, { username: u.username, role: 'participant', by: fac.id, now });
		expect(await redeemInvite(t.db, token, u.id, now)).toMatchObject({
			joined: false,
			role: 'participant'
		});
		const w = await createUser(t.db);
		await redeemInvite(t.db, token, w.id, now);
		await redeemInvite(t.db, token, w.id, now);
		const [listed] = await listInvites(t.db, board);
		expect(listed?.uses).toBe(1);
		expect(listed?.joined.map((j) => j.userId)).toEqual([w.id]);
	});

	test('INV-05 max_uses holds under 20 concurrent redemptions', async () => {
		const { token } = await invite({ maxUses: 1 });
		const users = await Promise.all(Array.from({ length: 20 }, () => createUser(t.db)));
		const results = await Promise.all(users.map((u) => redeemInvite(t.db, token, u.id, now)));
		expect(results.filter((r) => r.ok)).toHaveLength(1);
		const members = await t.db
			.selectFrom('board_members')
			.selectAll()
			.where('board_id', '=', board)
			.execute();
		expect(members).toHaveLength(2);
	});
});
