import { registerUser } from '../../src/lib/server/auth/accounts';
import type { Db } from '../../src/lib/server/db/connect';
import { normalizeUsername } from '../../src/lib/domain/accounts/username';
import type { Sector } from '../../src/lib/domain/accounts/sectors';

let counter = 0;

export interface TestUser {
	id: number;
	username: string;
	password: string;
	displayName: string;
	sector: Sector;
}

/** Creates an account straight through the domain function (no HTTP, no throttles). */
export async function createUser(
	db: Db,
	opts: { username?: string; sector?: Sector; displayName?: string; password?: string } = {}
): Promise<TestUser> {
	counter += 1;
	const raw = opts.username ?? `user${process.pid}x${Date.now().toString(36)}x${counter}`;
	const name = normalizeUsername(raw);
	if (!name.ok) throw new Error(`bad test username ${raw}`);
	const password = opts.password ?? `correct horse ${counter} battery staple`;
	const sector = opts.sector ?? 'industry';
	const displayName = opts.displayName ?? `テスト利用者 ${counter}`;
	const r = await registerUser(
		db,
		{
			username: name.username,
			usernameKey: name.key,
			displayName,
			password,
			sector,
			organisation: 'テスト株式会社',
			locale: null
		},
		Date.now()
	);
	if (!r.ok) throw new Error(r.error);
	return { id: r.user.id, username: name.username, password, displayName, sector };
}
