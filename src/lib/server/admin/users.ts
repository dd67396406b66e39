import { sql } from 'kysely';
import { SECTORS, type Sector } from '../../domain/accounts/sectors';
import { catalogues, type Locale } from '../../i18n/messages';
import type { Db } from '../db/connect';
import { recordAdminAudit } from './audit';

export interface AdminUserView {
	id: number;
	username: string;
	displayName: string;
	sector: string;
	organisation: string;
	isAdmin: boolean;
	disabled: boolean;
	deleted: boolean;
	/** The latest use of any session, or sign-in; null if never seen. */
	lastSeen: number | null;
	boards: number;
}

/** The users page shows at most this many matches; the search narrows the rest. */
export const USER_PAGE = 200;

/**
 * The sectors a search text names: found in the stored code (`civil_society`, also read as
 * "civil society") or in the sector's label in the reader's language (行政, Government), case
 * aside. Matched here against the fixed list rather than in SQL, so both databases agree.
 */
export function sectorsMatching(search: string, locale: Locale): Sector[] {
	const term = search.trim().toLocaleLowerCase();
	if (!term) return [];
	return SECTORS.filter((s) =>
		[s, s.replaceAll('_', ' '), catalogues[locale][`sector.${s}`]].some((text) =>
			text.toLocaleLowerCase().includes(term)
		)
	);
}

/**
 * Accounts for the administrator, newest first, optionally narrowed by a text found in the
 * username, display name or organisation (LIKE with its wildcards escaped, so `%` is literal),
 * or naming their sector (`sectorsMatching`, in the administrator's language).
 */
export async function listUsers(db: Db, search: string, locale: Locale): Promise<AdminUserView[]> {
	let q = db
		.selectFrom('users')
		.select((eb) => [
			'users.id',
			'users.username',
			'users.display_name',
			'users.sector',
			'users.organisation',
			'users.is_admin',
			'users.disabled_at',
			'users.deleted_at',
			eb
				.selectFrom('sessions')
				.select((s) => s.fn.max('sessions.last_seen_at').as('m'))
				.whereRef('sessions.user_id', '=', 'users.id')
				.as('session_seen'),
			eb
				.selectFrom('auth_events')
				.select((s) => s.fn.max('auth_events.at').as('m'))
				.whereRef('auth_events.user_id', '=', 'users.id')
				.where('auth_events.kind', 'in', ['login_ok', 'register_ok'])
				.as('signed_in'),
			eb
				.selectFrom('board_members')
				.select((s) => s.fn.countAll<number>().as('n'))
				.whereRef('board_members.user_id', '=', 'users.id')
				.as('boards')
		])
		.orderBy('users.id', 'desc')
		.limit(USER_PAGE);
	const term = search.trim();
	if (term) {
		const like = `%${term.replace(/[\\%_]/gu, (c) => `\\${c}`)}%`;
		const sectors = sectorsMatching(term, locale);
		q = q.where((eb) =>
			eb.or([
				eb(sql`users.username`, 'like', sql`${like} escape '\\'`),
				eb(sql`users.display_name`, 'like', sql`${like} escape '\\'`),
				eb(sql`users.organisation`, 'like', sql`${like} escape '\\'`),
				// `in ()` is not SQL: with no sector named, this branch is left out.
				...(sectors.length > 0 ? [eb('users.sector', 'in', sectors)] : [])
			])
		);
	}
	const rows = await q.execute();
	return rows.map((r) => {
		const seen = [r.session_seen, r.signed_in].filter((x): x is number => typeof x === 'number');
		return {
			id: r.id,
			username: r.username,
			displayName: r.display_name,
			sector: r.sector,
			organisation: r.organisation,
			isAdmin: r.is_admin === 1,
			disabled: r.disabled_at !== null,
			deleted: r.deleted_at !== null,
			lastSeen: seen.length > 0 ? Math.max(...seen) : null,
			boards: Number(r.boards ?? 0)
		};
	});
}

type Actor = { id: number; name: string };
export type UserChange = 'ok' | 'not_found' | 'self' | 'last_admin' | 'deleted';

async function target(db: Db, userId: number) {
	return db
		.selectFrom('users')
		.select(['id', 'username', 'is_admin', 'disabled_at', 'deleted_at'])
		.where('id', '=', userId)
		.executeTakeFirst();
}

/**
 * Disables or re-enables an account. Disabling ends every session in the same transaction; the
 * caller closes the sockets of the returned sessions at once. What the person wrote stays.
 * Administrators cannot disable themselves, nor an administrator account (unmake it first),
 * so the instance always keeps a working administrator.
 */
export async function setDisabled(
	db: Db,
	userId: number,
	disabled: boolean,
	actor: Actor,
	now: number
): Promise<{ result: UserChange; endedSessions: string[] }> {
	return db.transaction().execute(async (trx) => {
		const u = await target(trx, userId);
		if (!u) return { result: 'not_found', endedSessions: [] };
		if (u.deleted_at !== null) return { result: 'deleted', endedSessions: [] };
		if (u.id === actor.id) return { result: 'self', endedSessions: [] };
		if (disabled && u.is_admin === 1) return { result: 'last_admin', endedSessions: [] };
		await trx
			.updateTable('users')
			.set({ disabled_at: disabled ? now : null })
			.where('id', '=', userId)
			.execute();
		const ended = disabled
			? (
					await trx.deleteFrom('sessions').where('user_id', '=', userId).returning('id').execute()
				).map((r) => r.id)
			: [];
		await recordAdminAudit(trx, {
			actor,
			kind: disabled ? 'user_disabled' : 'user_enabled',
			subject: `user:${userId}`,
			detail: { username: u.username, sessions: ended.length },
			at: now
		});
		return { result: 'ok', endedSessions: ended };
	});
}

/** Makes or unmakes an administrator; the last administrator stays one. */
export async function setAdmin(
	db: Db,
	userId: number,
	admin: boolean,
	actor: Actor,
	now: number
): Promise<UserChange> {
	return db.transaction().execute(async (trx) => {
		const u = await target(trx, userId);
		if (!u) return 'not_found';
		if (u.deleted_at !== null || (admin && u.disabled_at !== null)) return 'deleted';
		if (!admin) {
			// Counted inside the transaction: two administrators unmaking each other at once
			// cannot both succeed (SQLite serialises writers).
			const { n } = await trx
				.selectFrom('users')
				.select((eb) => eb.fn.countAll<number>().as('n'))
				.where('is_admin', '=', 1)
				.where('disabled_at', 'is', null)
				.where('deleted_at', 'is', null)
				.where('id', '!=', userId)
				.executeTakeFirstOrThrow();
			if (Number(n) === 0) return 'last_admin';
		}
		await trx
			.updateTable('users')
			.set({ is_admin: admin ? 1 : 0 })
			.where('id', '=', userId)
			.execute();
		await recordAdminAudit(trx, {
			actor,
			kind: admin ? 'admin_granted' : 'admin_revoked',
			subject: `user:${userId}`,
			detail: { username: u.username },
			at: now
		});
		return 'ok';
	});
}
