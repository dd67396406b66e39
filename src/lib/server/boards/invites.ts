import type { BoardRole } from '../../domain/board/roles';
import { INVITE_TOKEN, type InviteProblem } from '../../domain/board/invites';
import { createHmac } from 'node:crypto';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { generateToken, hashToken } from '../auth/tokens';
import type { Db } from '../db/connect';

/**
 * An invite's token: HMAC-SHA256 of its id under the server secret, cut to 160 bits (the
 * INVITE_TOKEN shape). The database keeps only the token's SHA-256 as before, so a copy of the
 * database alone yields no link (INV-01), while the server — holding the secret — can show a
 * link again whenever a facilitator asks.
 */
export function inviteToken(secret: Uint8Array, inviteId: number): string {
	const mac = createHmac('sha256', secret).update(`yoriai-invite:${inviteId}`).digest();
	return encodeBase32LowerCaseNoPadding(mac.subarray(0, 20));
}

export interface NewInvite {
	boardId: string;
	role: 'participant' | 'observer';
	expiresAt: number;
	maxUses: number;
	note: string;
	welcome?: string;
	by: number;
	now: number;
}

/** Creates an invite; only its token's hash is stored (INV-01), the token comes from the secret. */
export async function createInvite(
	db: Db,
	secret: Uint8Array,
	i: NewInvite
): Promise<{ id: number; token: string }> {
	return db.transaction().execute(async (trx) => {
		// The token needs the id, so the row starts with a random placeholder hash no token has.
		const row = await trx
			.insertInto('board_invites')
			.values({
				board_id: i.boardId,
				token_hash: `pending:${generateToken(20)}`,
				role: i.role,
				expires_at: i.expiresAt,
				max_uses: i.maxUses,
				note: i.note,
				welcome: i.welcome ?? '',
				created_by: i.by,
				created_at: i.now
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		const token = inviteToken(secret, row.id);
		await trx
			.updateTable('board_invites')
			.set({ token_hash: hashToken(token) })
			.where('id', '=', row.id)
			.execute();
		return { id: row.id, token };
	});
}

/**
 * The token of an invite, if the server can show it again: links made before tokens were
 * derived from the secret (random, stored only as a hash) cannot be, nor can any link once the
 * secret file has been replaced.
 */
export function showableToken(
	secret: Uint8Array,
	invite: { id: number; tokenHash: string }
): string | null {
	const token = inviteToken(secret, invite.id);
	return hashToken(token) === invite.tokenHash ? token : null;
}

export interface InviteListing {
	id: number;
	role: 'participant' | 'observer';
	note: string;
	welcome: string;
	tokenHash: string;
	expiresAt: number;
	maxUses: number;
	uses: number;
	createdAt: number;
	revokedAt: number | null;
	joined: { userId: number; displayName: string; sector: string; at: number }[];
}

export async function listInvites(db: Db, boardId: string): Promise<InviteListing[]> {
	const invites = await db
		.selectFrom('board_invites')
		.select([
			'id',
			'role',
			'note',
			'welcome',
			'token_hash',
			'expires_at',
			'max_uses',
			'uses',
			'created_at',
			'revoked_at'
		])
		.where('board_id', '=', boardId)
		.orderBy('created_at', 'desc')
		.execute();
	const joined = await db
		.selectFrom('invite_redemptions as r')
		.innerJoin('board_invites as i', 'i.id', 'r.invite_id')
		.innerJoin('users as u', 'u.id', 'r.user_id')
		.select(['r.invite_id', 'u.id as userId', 'u.display_name as displayName', 'u.sector', 'r.at'])
		.where('i.board_id', '=', boardId)
		.orderBy('r.at')
		.execute();
	return invites.map((i) => ({
		id: i.id,
		role: i.role,
		note: i.note,
		welcome: i.welcome,
		tokenHash: i.token_hash,
		expiresAt: i.expires_at,
		maxUses: i.max_uses,
		uses: i.uses,
		createdAt: i.created_at,
		revokedAt: i.revoked_at,
		joined: joined
			.filter((j) => j.invite_id === i.id)
			.map(({ userId, displayName, sector, at }) => ({ userId, displayName, sector, at }))
	}));
}

/** Revokes an invite of this board (an id from another board changes nothing: AC-02). */
export async function revokeInvite(
	db: Db,
	boardId: string,
	inviteId: number,
	now: number
): Promise<boolean> {
	const r = await db
		.updateTable('board_invites')
		.set({ revoked_at: now })
		.where('id', '=', inviteId)
		.where('board_id', '=', boardId)
		.where('revoked_at', 'is', null)
		.executeTakeFirst();
	return Number(r.numUpdatedRows) > 0;
}

export interface InviteTarget {
	id: number;
	boardId: string;
	boardTitle: string;
	role: 'participant' | 'observer';
	/** The welcome message only: the facilitator's note never reaches the invited person. */
	welcome: string;
}

type Checked = { ok: true; invite: InviteTarget } | { ok: false; problem: InviteProblem };

/** What a token opens, or why it cannot be used. Reads only: opening a link changes nothing. */
export async function inspectInvite(db: Db, token: string, now: number): Promise<Checked> {
	if (!INVITE_TOKEN.test(token)) return { ok: false, problem: 'not_found' };
	const row = await db
		.selectFrom('board_invites as i')
		.innerJoin('boards as b', 'b.id', 'i.board_id')
		.select([
			'i.id',
			'i.board_id',
			'b.title',
			'i.role',
			'i.welcome',
			'i.expires_at',
			'i.max_uses',
			'i.uses',
			'i.revoked_at',
			'b.archived_at'
		])
		.where('i.token_hash', '=', hashToken(token))
		.executeTakeFirst();
	if (!row) return { ok: false, problem: 'not_found' };
	if (row.revoked_at !== null) return { ok: false, problem: 'revoked' };
	if (now >= row.expires_at) return { ok: false, problem: 'expired' };
	if (row.uses >= row.max_uses) return { ok: false, problem: 'used_up' };
	// An archived board takes no one new until it is restored.
	if (row.archived_at !== null) return { ok: false, problem: 'archived' };
	return {
		ok: true,
		invite: {
			id: row.id,
			boardId: row.board_id,
			boardTitle: row.title,
			role: row.role,
			welcome: row.welcome
		}
	};
}

export type Redeemed =
	| { ok: true; boardId: string; role: BoardRole; joined: boolean }
	| { ok: false; problem: InviteProblem };

/**
 * Joins `userId` to the invite's board. Idempotent and never a demotion or an escalation
 * (INV-04): an existing member keeps their role and uses no place. The place is taken with a
 * conditional update in the same transaction as the membership, so `max_uses` holds however many
 * people redeem at once (INV-05).
 */
export async function redeemInvite(
	db: Db,
	token: string,
	userId: number,
	now: number
): Promise<Redeemed> {
	const checked = await inspectInvite(db, token, now);
	if (!checked.ok) return checked;
	const { invite } = checked;
	return db.transaction().execute(async (trx): Promise<Redeemed> => {
		const member = await trx
			.selectFrom('board_members')
			.select('role')
			.where('board_id', '=', invite.boardId)
			.where('user_id', '=', userId)
			.executeTakeFirst();
		if (member) return { ok: true, boardId: invite.boardId, role: member.role, joined: false };
		const taken = await trx
			.updateTable('board_invites')
			.set((eb) => ({ uses: eb('uses', '+', 1) }))
			.where('id', '=', invite.id)
			.where('revoked_at', 'is', null)
			.where('expires_at', '>', now)
			.whereRef('uses', '<', 'max_uses')
			.executeTakeFirst();
		if (Number(taken.numUpdatedRows) === 0) return { ok: false, problem: 'used_up' };
		await trx
			.insertInto('board_members')
			.values({
				board_id: invite.boardId,
				user_id: userId,
				role: invite.role,
				added_by: null,
				added_at: now
			})
			.execute();
		await trx
			.insertInto('invite_redemptions')
			.values({ invite_id: invite.id, user_id: userId, at: now })
			.execute();
		return { ok: true, boardId: invite.boardId, role: invite.role, joined: true };
	});
}
