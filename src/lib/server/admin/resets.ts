import { RESET_LIFETIME_MS } from '../../domain/admin/policies';
import type { Db } from '../db/connect';
import { hashPassword } from '../auth/password';
import { generateToken, hashToken } from '../auth/tokens';
import { recordAdminAudit } from './audit';

/**
 * One-time password-reset links, issued by an administrator and handed over in person (there is
 * no mail server). The token is shown once; only its SHA-256 is stored. A link works once,
 * until it expires, and issuing a new one withdraws the person's earlier unused links.
 */
export async function issueReset(
	db: Db,
	userId: number,
	actor: { id: number; name: string },
	now: number
): Promise<{ ok: true; token: string; expiresAt: number } | { ok: false; problem: 'not_found' }> {
	const token = generateToken();
	return db.transaction().execute(async (trx) => {
		const u = await trx
			.selectFrom('users')
			.select(['id', 'username'])
			.where('id', '=', userId)
			.where('deleted_at', 'is', null)
			.executeTakeFirst();
		if (!u) return { ok: false, problem: 'not_found' } as const;
		await trx
			.updateTable('password_resets')
			.set({ used_at: now })
			.where('user_id', '=', userId)
			.where('used_at', 'is', null)
			.execute();
		const expiresAt = now + RESET_LIFETIME_MS;
		await trx
			.insertInto('password_resets')
			.values({
				user_id: userId,
				token_hash: hashToken(token),
				created_by: actor.id,
				created_at: now,
				expires_at: expiresAt,
				used_at: null
			})
			.execute();
		await recordAdminAudit(trx, {
			actor,
			kind: 'reset_issued',
			subject: `user:${userId}`,
			detail: { username: u.username, expiresAt },
			at: now
		});
		return { ok: true, token, expiresAt } as const;
	});
}

export type ResetProblem = 'not_found' | 'used' | 'expired';

/** What a reset link is for, without using it (the page shows whose password it sets). */
export async function inspectReset(
	db: Db,
	token: string,
	now: number
): Promise<{ ok: true; userId: number; username: string } | { ok: false; problem: ResetProblem }> {
	if (!/^[a-z2-7]{16,64}$/u.test(token)) return { ok: false, problem: 'not_found' };
	const row = await db
		.selectFrom('password_resets')
		.innerJoin('users', 'users.id', 'password_resets.user_id')
		.select([
			'password_resets.user_id',
			'password_resets.expires_at',
			'password_resets.used_at',
			'users.username',
			'users.deleted_at'
		])
		.where('token_hash', '=', hashToken(token))
		.executeTakeFirst();
	if (!row || row.deleted_at !== null) return { ok: false, problem: 'not_found' };
	if (row.used_at !== null) return { ok: false, problem: 'used' };
	if (now >= row.expires_at) return { ok: false, problem: 'expired' };
	return { ok: true, userId: row.user_id, username: row.username };
}

/**
 * Sets the new password and uses the link, in one transaction (two posts of one link cannot
 * both win), and ends every session of the person; the caller closes their sockets.
 */
export async function useReset(
	db: Db,
	token: string,
	password: string,
	now: number
): Promise<
	{ ok: true; userId: number; endedSessions: string[] } | { ok: false; problem: ResetProblem }
> {
	const hash = await hashPassword(password);
	return db.transaction().execute(async (trx) => {
		const checked = await inspectReset(trx, token, now);
		if (!checked.ok) return checked;
		const taken = await trx
			.updateTable('password_resets')
			.set({ used_at: now })
			.where('token_hash', '=', hashToken(token))
			.where('used_at', 'is', null)
			.executeTakeFirst();
		if (Number(taken.numUpdatedRows) !== 1) return { ok: false, problem: 'used' } as const;
		await trx
			.updateTable('users')
			.set({ password_hash: hash, password_changed_at: now })
			.where('id', '=', checked.userId)
			.execute();
		const ended = await trx
			.deleteFrom('sessions')
			.where('user_id', '=', checked.userId)
			.returning('id')
			.execute();
		await recordAdminAudit(trx, {
			actor: null,
			kind: 'reset_used',
			subject: `user:${checked.userId}`,
			detail: { username: checked.username },
			at: now
		});
		return { ok: true, userId: checked.userId, endedSessions: ended.map((r) => r.id) } as const;
	});
}
