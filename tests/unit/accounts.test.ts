import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { normalizeUsername } from '../../src/lib/domain/accounts/username';
import { authenticate, changePassword, registerUser } from '../../src/lib/server/auth/accounts';
import { verifyPassword } from '../../src/lib/server/auth/password';
import { tempDb } from '../helpers/db';
import { createUser } from '../helpers/users';

let t: Awaited<ReturnType<typeof tempDb>>;
beforeEach(async () => {
	t = await tempDb();
});
afterEach(async () => {
	await t.cleanup();
});

const reg = (username: string) => {
	const n = normalizeUsername(username);
	if (!n.ok) throw new Error(n.error);
	return {
		username: n.username,
		usernameKey: n.key,
		displayName: '山田 花子',
		password: 'a long and unusual passphrase',
		sector: 'academia' as const,
		organisation: '東京大学',
		locale: 'ja'
	};
};

describe('usernames', () => {
	test('AUTH-11 NFKC + case-folded: Admin, admin and full-width ａｄｍｉｎ are one name', () => {
		const keys = ['Admin', 'admin', 'ａｄｍｉｎ', ' ADMIN '].map((u) => normalizeUsername(u));
		for (const k of keys) expect(k).toMatchObject({ ok: true, key: 'admin' });
	});

	test('AUTH-11 look-alikes from other scripts are refused rather than confused', () => {
		expect(normalizeUsername('аdmin')).toEqual({ ok: false, error: 'username_chars' }); // Cyrillic а
		expect(normalizeUsername('山田')).toEqual({ ok: false, error: 'username_length' });
		expect(normalizeUsername('山田太郎')).toEqual({ ok: false, error: 'username_chars' });
		expect(normalizeUsername('ab')).toEqual({ ok: false, error: 'username_length' });
		expect(normalizeUsername('.admin')).toEqual({ ok: false, error: 'username_chars' });
	});

	test('AUTH-11 a second registration of the same name in any case is refused, never a 500', async () => {
		expect((await registerUser(t.db, reg('Admin'), Date.now())).ok).toBe(true);
		expect(await registerUser(t.db, reg('admin'), Date.now())).toEqual({
			ok: false,
			error: 'username_taken'
		});
		expect(await registerUser(t.db, reg('ａｄｍｉｎ'), Date.now())).toEqual({
			ok: false,
			error: 'username_taken'
		});
	});

	test('AUTH-11 parallel registrations of one name create exactly one row', async () => {
		const results = await Promise.all(
			Array.from({ length: 6 }, () => registerUser(t.db, reg('race'), Date.now()))
		);
		expect(results.filter((r) => r.ok)).toHaveLength(1);
		const rows = await t.db
			.selectFrom('users')
			.selectAll()
			.where('username_key', '=', 'race')
			.execute();
		expect(rows).toHaveLength(1);
	});
});

describe('accounts', () => {
	test('AUTH-10 no default accounts; the first account becomes the administrator', async () => {
		expect(await t.db.selectFrom('users').selectAll().execute()).toEqual([]);
		const first = await registerUser(t.db, reg('first'), Date.now());
		const second = await registerUser(t.db, reg('second'), Date.now());
		expect(first.ok && first.user.is_admin).toBe(1);
		expect(second.ok && second.user.is_admin).toBe(0);
		expect(await authenticate(t.db, 'admin', 'admin')).toBeNull();
	});

	test('AUTH-05 unknown user and wrong password fail the same way', async () => {
		const u = await createUser(t.db, { username: 'known' });
		expect(await authenticate(t.db, 'known', 'wrong password here')).toBeNull();
		expect(await authenticate(t.db, 'nobody', 'wrong password here')).toBeNull();
		expect((await authenticate(t.db, 'known', u.password))?.id).toBe(u.id);
	});

	test('AUTH-05 an unknown user costs one argon2 verification too', async () => {
		const u = await createUser(t.db, { username: 'timed' });
		const known: number[] = [];
		const unknown: number[] = [];
		// Interleaved, so load on the machine hits both series alike.
		for (let i = 0; i < 9; i++) {
			for (const [name, out] of [
				['timed', known],
				['nobody-at-all', unknown]
			] as const) {
				const s = performance.now();
				await authenticate(t.db, name, `${u.password}x`);
				out.push(performance.now() - s);
			}
		}
		const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
		const k = median(known);
		const n = median(unknown);
		// A short-circuit for unknown users would make them near-free; both must cost one verify.
		expect(n).toBeGreaterThan(k * 0.6);
		expect(k).toBeGreaterThan(n * 0.6);
	});

	test('AUTH-04 changing the password needs the current one', async () => {
		const u = await createUser(t.db);
		const before = await t.db
			.selectFrom('users')
			.select('password_hash')
			.where('id', '=', u.id)
			.executeTakeFirstOrThrow();
		expect(
			await changePassword(t.db, u.id, 'not the password', 'a brand new passphrase', Date.now())
		).toBe(false);
		const unchanged = await t.db
			.selectFrom('users')
			.select('password_hash')
			.where('id', '=', u.id)
			.executeTakeFirstOrThrow();
		expect(unchanged.password_hash).toBe(before.password_hash);
		expect(await changePassword(t.db, u.id, u.password, 'a brand new passphrase', Date.now())).toBe(
			true
		);
		const after = await t.db
			.selectFrom('users')
			.select('password_hash')
			.where('id', '=', u.id)
			.executeTakeFirstOrThrow();
		expect(await verifyPassword(after.password_hash, 'a brand new passphrase')).toBe(true);
	});
});
