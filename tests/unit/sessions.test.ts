import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { encodeHexLowerCase } from '@oslojs/encoding';
import { sha256 } from '@oslojs/crypto/sha2';
import {
	createSession,
	DAY,
	invalidateSession,
	invalidateUserSessions,
	listSessions,
	revokeSession,
	SESSION_ABSOLUTE,
	validateSessionToken
} from '../../src/lib/server/auth/sessions';
import { generateToken } from '../../src/lib/server/auth/tokens';
import { tempDb } from '../helpers/db';
import { createUser } from '../helpers/users';

let t: Awaited<ReturnType<typeof tempDb>>;
beforeEach(async () => {
	t = await tempDb();
});
afterEach(async () => {
	await t.cleanup();
});

describe('tokens', () => {
	test('SESS-01 tokens carry at least 128 bits from the CSPRNG and never repeat', () => {
		const seen = new Set<string>();
		for (let i = 0; i < 10_000; i++) {
			const tok = generateToken();
			// base32: 5 bits a character
			expect(tok.length * 5).toBeGreaterThanOrEqual(160);
			seen.add(tok);
		}
		expect(seen.size).toBe(10_000);
	});
});

describe('sessions', () => {
	test('SESS-02 only the SHA-256 of the token is stored', async () => {
		const u = await createUser(t.db);
		const { token } = await createSession(t.db, u.id, Date.now(), 'ua');
		const rows = await t.db.selectFrom('sessions').selectAll().execute();
		expect(rows).toHaveLength(1);
		expect(rows[0]?.id).toBe(encodeHexLowerCase(sha256(new TextEncoder().encode(token))));
		expect(JSON.stringify(rows)).not.toContain(token);
	});

	test('SESS-03 the hashed token is the lookup key: a wrong or malformed token finds nothing', async () => {
		const u = await createUser(t.db);
		const now = Date.now();
		const { token } = await createSession(t.db, u.id, now, 'ua');
		expect(await validateSessionToken(t.db, token, now)).not.toBeNull();
		expect(
			await validateSessionToken(t.db, token.slice(0, -1) + (token.endsWith('a') ? 'b' : 'a'), now)
		).toBeNull();
		expect(await validateSessionToken(t.db, "' or 1=1 --", now)).toBeNull();
		expect(await validateSessionToken(t.db, '', now)).toBeNull();
	});

	test('SESS-06 sliding 30-day expiry renewed when under 15 days left, plus the 90-day cap', async () => {
		const u = await createUser(t.db);
		const start = Date.UTC(2026, 0, 1);
		const { token } = await createSession(t.db, u.id, start, 'ua');

		const day10 = await validateSessionToken(t.db, token, start + 10 * DAY);
		expect(day10?.renewed).toBe(false);
		const day16 = await validateSessionToken(t.db, token, start + 16 * DAY);
		expect(day16?.renewed).toBe(true);
		expect(day16?.session.expires_at).toBe(start + 46 * DAY);

		// Used every 16 days it stays alive, but never past 90 days from sign-in.
		let at = start + 16 * DAY;
		while (at + 16 * DAY < start + SESSION_ABSOLUTE) {
			at += 16 * DAY;
			expect(await validateSessionToken(t.db, token, at)).not.toBeNull();
		}
		expect(await validateSessionToken(t.db, token, start + SESSION_ABSOLUTE)).toBeNull();
		expect(await t.db.selectFrom('sessions').selectAll().execute()).toHaveLength(0);
	});

	test('SESS-06 a session unused for 30 days is invalid and deleted', async () => {
		const u = await createUser(t.db);
		const start = Date.UTC(2026, 0, 1);
		const { token } = await createSession(t.db, u.id, start, 'ua');
		expect(await validateSessionToken(t.db, token, start + 31 * DAY)).toBeNull();
		expect(await t.db.selectFrom('sessions').selectAll().execute()).toHaveLength(0);
	});

	test('SESS-07 an invalidated session no longer validates', async () => {
		const u = await createUser(t.db);
		const now = Date.now();
		const { token, session } = await createSession(t.db, u.id, now, 'ua');
		await invalidateSession(t.db, session.id);
		expect(await validateSessionToken(t.db, token, now)).toBeNull();
	});

	test('SESS-08 ending all other sessions keeps only the current one', async () => {
		const u = await createUser(t.db);
		const other = await createUser(t.db);
		const now = Date.now();
		const a = await createSession(t.db, u.id, now, 'A');
		const b = await createSession(t.db, u.id, now, 'B');
		const c = await createSession(t.db, other.id, now, 'C');
		const ended = await invalidateUserSessions(t.db, u.id, a.session.id);
		expect(ended).toEqual([b.session.id]);
		expect(await validateSessionToken(t.db, a.token, now)).not.toBeNull();
		expect(await validateSessionToken(t.db, b.token, now)).toBeNull();
		expect(await validateSessionToken(t.db, c.token, now)).not.toBeNull();
	});

	test('SESS-11 users list their sessions and revoke only their own', async () => {
		const u = await createUser(t.db);
		const other = await createUser(t.db);
		const now = Date.now();
		const a = await createSession(t.db, u.id, now, 'A');
		const b = await createSession(t.db, u.id, now, 'B');
		const c = await createSession(t.db, other.id, now, 'C');
		const listed = await listSessions(t.db, u.id, a.session.id, now);
		expect(listed.map((s) => s.user_agent).sort()).toEqual(['A', 'B']);
		expect(listed.find((s) => s.user_agent === 'A')?.current).toBe(true);
		expect(JSON.stringify(listed)).not.toContain(a.session.id);
		expect(await revokeSession(t.db, u.id, c.session.public_id)).toBeNull();
		expect(await revokeSession(t.db, u.id, b.session.public_id)).toBe(b.session.id);
		expect(await validateSessionToken(t.db, b.token, now)).toBeNull();
		expect(await validateSessionToken(t.db, c.token, now)).not.toBeNull();
	});
});
