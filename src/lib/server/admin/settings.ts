import {
	BOARD_POLICIES,
	REGISTRATION_POLICIES,
	type BoardPolicy,
	type RegistrationPolicy
} from '../../domain/admin/policies';
import type { Db } from '../db/connect';
import { recordAdminAudit } from './audit';

/**
 * Instance policies. Read from SQL on every request that needs them (a primary-key lookup), so a
 * change takes effect at once in this process and in any other that shares the database.
 */
async function read(db: Db, key: string): Promise<string | undefined> {
	const row = await db
		.selectFrom('instance_settings')
		.select('value')
		.where('key', '=', key)
		.executeTakeFirst();
	return row?.value;
}

export async function registrationPolicy(db: Db): Promise<RegistrationPolicy> {
	const v = await read(db, 'registration');
	return (REGISTRATION_POLICIES as readonly string[]).includes(v ?? '')
		? (v as RegistrationPolicy)
		: 'open';
}

export async function boardPolicy(db: Db): Promise<BoardPolicy> {
	const v = await read(db, 'board_creation');
	return (BOARD_POLICIES as readonly string[]).includes(v ?? '') ? (v as BoardPolicy) : 'any';
}

/**
 * Whether a new account may be made by `route`. The first account is always allowed: an
 * instance without one has no administrator to open it.
 */
export async function mayRegister(db: Db, route: 'register' | 'invite'): Promise<boolean> {
	const { n } = await db
		.selectFrom('users')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.executeTakeFirstOrThrow();
	if (Number(n) === 0) return true;
	const policy = await registrationPolicy(db);
	return policy === 'open' || (policy === 'invite' && route === 'invite');
}

export async function mayCreateBoards(
	db: Db,
	user: { id: number; is_admin: number }
): Promise<boolean> {
	if (user.is_admin === 1) return true;
	const policy = await boardPolicy(db);
	if (policy === 'any') return true;
	if (policy === 'admins') return false;
	const row = await db
		.selectFrom('board_creators')
		.select('user_id')
		.where('user_id', '=', user.id)
		.executeTakeFirst();
	return row !== undefined;
}

type Actor = { id: number; name: string };

async function write(db: Db, key: string, value: string, actor: Actor, now: number) {
	await db
		.insertInto('instance_settings')
		.values({ key, value, updated_at: now, updated_by: actor.id })
		.onConflict((oc) =>
			oc.column('key').doUpdateSet({ value, updated_at: now, updated_by: actor.id })
		)
		.execute();
}

export async function setRegistrationPolicy(
	db: Db,
	policy: RegistrationPolicy,
	actor: Actor,
	now: number
): Promise<void> {
	await db.transaction().execute(async (trx) => {
		const before = await registrationPolicy(trx);
		await write(trx, 'registration', policy, actor, now);
		await recordAdminAudit(trx, {
			actor,
			kind: 'registration_policy',
			subject: 'registration',
			detail: { from: before, to: policy },
			at: now
		});
	});
}

export async function setBoardPolicy(
	db: Db,
	policy: BoardPolicy,
	actor: Actor,
	now: number
): Promise<void> {
	await db.transaction().execute(async (trx) => {
		const before = await boardPolicy(trx);
		await write(trx, 'board_creation', policy, actor, now);
		await recordAdminAudit(trx, {
			actor,
			kind: 'board_policy',
			subject: 'board_creation',
			detail: { from: before, to: policy },
			at: now
		});
	});
}

export interface CreatorView {
	id: number;
	username: string;
	displayName: string;
}

export async function listBoardCreators(db: Db): Promise<CreatorView[]> {
	const rows = await db
		.selectFrom('board_creators')
		.innerJoin('users', 'users.id', 'board_creators.user_id')
		.select(['users.id', 'users.username', 'users.display_name'])
		.orderBy('users.username_key')
		.execute();
	return rows.map((r) => ({ id: r.id, username: r.username, displayName: r.display_name }));
}

export async function addBoardCreator(
	db: Db,
	usernameKey: string,
	actor: Actor,
	now: number
): Promise<'ok' | 'not_found'> {
	return db.transaction().execute(async (trx) => {
		const user = await trx
			.selectFrom('users')
			.select(['id', 'username'])
			.where('username_key', '=', usernameKey)
			.where('deleted_at', 'is', null)
			.executeTakeFirst();
		if (!user) return 'not_found';
		await trx
			.insertInto('board_creators')
			.values({ user_id: user.id, added_at: now })
			.onConflict((oc) => oc.column('user_id').doNothing())
			.execute();
		await recordAdminAudit(trx, {
			actor,
			kind: 'board_creator_added',
			subject: `user:${user.id}`,
			detail: { username: user.username },
			at: now
		});
		return 'ok';
	});
}

export async function removeBoardCreator(
	db: Db,
	userId: number,
	actor: Actor,
	now: number
): Promise<'ok' | 'not_found'> {
	return db.transaction().execute(async (trx) => {
		const gone = await trx
			.deleteFrom('board_creators')
			.where('user_id', '=', userId)
			.executeTakeFirst();
		if (Number(gone.numDeletedRows) === 0) return 'not_found';
		await recordAdminAudit(trx, {
			actor,
			kind: 'board_creator_removed',
			subject: `user:${userId}`,
			at: now
		});
		return 'ok';
	});
}
