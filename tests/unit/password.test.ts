import { hash } from '@node-rs/argon2';
import { describe, expect, test } from 'vitest';
import { checkPassword, PASSWORD_MAX } from '../../src/lib/domain/accounts/password-policy';
import { hashPassword, needsRehash, verifyPassword } from '../../src/lib/server/auth/password';

describe('password hashing', () => {
	test('AUTH-01 argon2id with m=19456, t=2, p=1 in a PHC string', async () => {
		const h = await hashPassword('correct horse battery staple');
		expect(h).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/u);
		expect(await verifyPassword(h, 'correct horse battery staple')).toBe(true);
		expect(await verifyPassword(h, 'correct horse battery stapler')).toBe(false);
	});

	test('AUTH-01 hashes with older parameters still verify and are flagged for upgrade', async () => {
		const old = await hash('an older password here', {
			algorithm: 2,
			memoryCost: 4096,
			timeCost: 1,
			parallelism: 1
		});
		expect(await verifyPassword(old, 'an older password here')).toBe(true);
		expect(needsRehash(old)).toBe(true);
		expect(needsRehash(await hashPassword('x'.repeat(12)))).toBe(false);
	});

	test('a malformed stored hash is a failed verification, not an exception', async () => {
		expect(await verifyPassword('not-a-hash', 'whatever')).toBe(false);
	});
});

describe('password policy', () => {
	test('AUTH-02 lengths: 7 refused, 8 and 64 accepted, above the maximum refused', () => {
		expect(checkPassword('a1b2c3d')).toBe('password_too_short');
		expect(checkPassword('a1b2c3d4e')).toBeNull();
		expect(checkPassword('kT9#'.repeat(16))).toBeNull();
		expect(checkPassword('kT9#x'.repeat(26))).toBe('password_too_long');
		expect(PASSWORD_MAX).toBe(128);
	});

	test('AUTH-02 code points are counted, spaces and emoji are allowed, nothing is trimmed', () => {
		expect(checkPassword('  pass with spaces  ')).toBeNull();
		expect(checkPassword('🔑🌸🗾🍵🎋🏯🌊🗻')).toBeNull();
		expect(checkPassword('🔑'.repeat(8))).toBe('password_common');
		expect(checkPassword('🔑'.repeat(7))).toBe('password_too_short');
		expect(checkPassword('寄り合いの合言葉です')).toBeNull();
	});

	test('AUTH-03 common passwords and their decorated forms are refused', () => {
		for (const p of [
			'password',
			'password123456',
			'qwertyuiopasdf',
			'12345678',
			'iloveyou123',
			'aaaaaaaaaa'
		])
			expect(checkPassword(p), p).toBe('password_common');
	});

	test('AUTH-03 the username is not a password', () => {
		expect(checkPassword('tanaka.hiroshi', 'tanaka.hiroshi')).toBe('password_common');
		expect(checkPassword('tanaka.hiroshi2024', 'tanaka.hiroshi')).toBe('password_common');
	});
});
