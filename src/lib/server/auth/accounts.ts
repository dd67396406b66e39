import type { Sector } from '../../domain/accounts/sectors';
import type { Db } from '../db/connect';
import type { UserRow } from '../db/schema';
import { hashPassword, needsRehash, verifyDummy, verifyPassword } from './password';
import { isUniqueViolation } from '../db/errors';

export interface Registration {
	username: string;
	usernameKey: string;
	displayName: string;
	password: string;
	sector: Sector;
	organisation: string;
	locale: string | null;
}

export type RegisterResult = { ok: true; user: UserRow } | { ok: false; error: 'username_taken' };

/**
 * Creates an account. The first account of an instance becomes its administrator — there are no
 * default accounts (AUTH-10). The count and the insert share one transaction, and the unique
 * index on `username_key` turns a duplicate (also a concurrent one) into a value, not a 500.
 */
export async function registerUser(db: Db, r: Registration, now: number): Promise<RegisterResult> {
	const passwordHash = await hashPassword(r.password);
	try {
		const user = await db.transaction().execute(async (trx) => {
			const { n } = await trx
				.selectFrom('users')
				.select((eb) => eb.fn.countAll<number>().as('n'))
				.executeTakeFirstOrThrow();
			return trx
				.insertInto('users')
				.values({
					username: r.username,
					username_key: r.usernameKey,
					display_name: r.displayName,
					sector: r.sector,
					organisation: r.organisation,
					password_hash: passwordHash,
					is_admin: Number(n) === 0 ? 1 : 0,
					locale: r.locale,
					created_at: now,
					password_changed_at: now
				})
				.returningAll()
				.executeTakeFirstOrThrow();
		});
		return { ok: true, user };
	} catch (e) {
		if (isUniqueViolation(e)) return { ok: false, error: 'username_taken' };
		throw e;
	}
}

/**
 * Checks a username and password. Unknown users cost one argon2 verification too (AUTH-05), and
 * the caller cannot tell the two failures apart: both are `null`.
 */
export async function authenticate(
	db: Db,
	usernameKey: string,
	password: string
): Promise<UserRow | null> {
	const user = await db
		.selectFrom('users')
		.selectAll()
		.where('username_key', '=', usernameKey)
		.executeTakeFirst();
	// A deleted account is an unknown user: same cost, same answer (AUTH-05).
	if (!user || user.deleted_at !== null) return verifyDummy(password).then(() => null);
	if (!(await verifyPassword(user.password_hash, password))) return null;
	if (needsRehash(user.password_hash)) {
		await db
			.updateTable('users')
			.set({ password_hash: await hashPassword(password) })
			.where('id', '=', user.id)
			.execute();
	}
	return user;
}

export async function changePassword(
	db: Db,
	userId: number,
	current: string,
	next: string,
	now: number
): Promise<boolean> {
	const user = await db
		.selectFrom('users')
		.select('password_hash')
		.where('id', '=', userId)
		.executeTakeFirst();
	if (!user || !(await verifyPassword(user.password_hash, current))) return false;
	await db
		.updateTable('users')
		.set({ password_hash: await hashPassword(next), password_changed_at: now })
		.where('id', '=', userId)
		.execute();
	return true;
}

export interface ProfileUpdate {
	displayName: string;
	sector: Sector;
	organisation: string;
	/** Whether the person agrees to be named in workshop records (default: sector counts only). */
	nameInRecord: boolean;
}

export async function updateProfile(db: Db, userId: number, p: ProfileUpdate): Promise<void> {
	await db
		.updateTable('users')
		.set({
			display_name: p.displayName,
			sector: p.sector,
			organisation: p.organisation,
			name_in_record: p.nameInRecord ? 1 : 0
		})
		.where('id', '=', userId)
		.execute();
}

export async function setLocale(db: Db, userId: number, locale: string): Promise<void> {
	await db.updateTable('users').set({ locale }).where('id', '=', userId).execute();
}
