import { catalogues } from '../../i18n/messages';
import { renameAuthor } from '../../domain/board/rename-author';
import type { App } from '../app';
import { recordAdminAudit } from '../admin/audit';
import { changeBoardDoc } from '../collab/index';
import { withdrawOpenBallots } from '../boards/members';
import { announceMembershipChanged, announceSessionsEnded } from '../events/announce';
import { publishProgress } from '../votes/progress';
import { logger } from '../log/logger';

/** The name left on what a deleted account wrote: the issue's 「退会したユーザー」. */
export const DELETED_NAME = catalogues.ja['account.deletedName'];

export type DeleteResult = { ok: true } | { ok: false; error: 'last_admin' | 'not_found' };

/**
 * Deletes a person's account (APPI: at their request). In one transaction: their sessions and
 * reset links end, their ballots in open votes are withdrawn (closed votes keep them, so
 * published results do not move — the same rule as removal from a board), they leave every board
 * where another facilitator remains, their unrevealed drafts go, their name, organisation and
 * username are replaced, and the instance audit log records that it happened (not who they
 * were). The row itself stays so what they wrote keeps an author id. Then, on every board, the
 * name in the shared document becomes 「退会したユーザー」.
 */
export async function deleteAccount(
	app: Pick<App, 'db' | 'events' | 'now' | 'config' | 'database'>,
	userId: number
): Promise<DeleteResult> {
	const now = app.now();
	const outcome = await app.db.transaction().execute(async (trx) => {
		const user = await trx
			.selectFrom('users')
			.select(['id', 'is_admin', 'deleted_at'])
			.where('id', '=', userId)
			.executeTakeFirst();
		if (!user || user.deleted_at !== null) return { ok: false, error: 'not_found' } as const;
		if (user.is_admin === 1) {
			const { n } = await trx
				.selectFrom('users')
				.select((eb) => eb.fn.countAll<number>().as('n'))
				.where('is_admin', '=', 1)
				.where('disabled_at', 'is', null)
				.where('deleted_at', 'is', null)
				.where('id', '!=', userId)
				.executeTakeFirstOrThrow();
			if (Number(n) === 0) return { ok: false, error: 'last_admin' } as const;
		}
		const boards = await trx
			.selectFrom('board_members')
			.select(['board_id', 'role'])
			.where('user_id', '=', userId)
			.execute();
		const withdrawn: { boardId: string; sessions: number[] }[] = [];
		for (const b of boards) {
			withdrawn.push({
				boardId: b.board_id,
				sessions: await withdrawOpenBallots(trx, b.board_id, userId, now, false)
			});
			// A board keeps its last facilitator's row (AC-06): it then lists 「退会したユーザー」.
			const others = await trx
				.selectFrom('board_members')
				.select((eb) => eb.fn.countAll<number>().as('n'))
				.where('board_id', '=', b.board_id)
				.where('role', '=', 'facilitator')
				.where('user_id', '!=', userId)
				.executeTakeFirstOrThrow();
			if (b.role !== 'facilitator' || Number(others.n) > 0)
				await trx
					.deleteFrom('board_members')
					.where('board_id', '=', b.board_id)
					.where('user_id', '=', userId)
					.execute();
		}
		const sessions = await trx
			.deleteFrom('sessions')
			.where('user_id', '=', userId)
			.returning('id')
			.execute();
		await trx.deleteFrom('password_resets').where('user_id', '=', userId).execute();
		await trx.deleteFrom('board_creators').where('user_id', '=', userId).execute();
		await trx.deleteFrom('board_drafts').where('user_id', '=', userId).execute();
		const placeholder = `deleted-${userId}`;
		await trx
			.updateTable('users')
			.set({
				username: placeholder,
				username_key: placeholder,
				display_name: DELETED_NAME,
				organisation: '',
				// No password verifies against this, and sign-in treats the account as unknown.
				password_hash: '!deleted',
				is_admin: 0,
				locale: null,
				deleted_at: now
			})
			.where('id', '=', userId)
			.execute();
		await trx
			.updateTable('actions')
			.set({ owner_name: DELETED_NAME })
			.where('owner_user_id', '=', userId)
			.execute();
		await trx
			.updateTable('board_audit')
			.set({ actor_name: DELETED_NAME })
			.where('actor_id', '=', userId)
			.execute();
		await trx
			.updateTable('admin_audit')
			.set({ actor_name: DELETED_NAME })
			.where('actor_id', '=', userId)
			.execute();
		await recordAdminAudit(trx, {
			actor: { id: userId, name: DELETED_NAME },
			kind: 'account_deleted',
			subject: `user:${userId}`,
			detail: {
				boards: boards.length,
				withdrawnBallots: withdrawn.reduce((n, w) => n + w.sessions.length, 0)
			},
			at: now
		});
		return {
			ok: true,
			sessions: sessions.map((s) => s.id),
			boards: boards.map((b) => b.board_id),
			withdrawn
		} as const;
	});
	if (!outcome.ok) return outcome;
	await announceSessionsEnded(app, outcome.sessions);
	for (const w of outcome.withdrawn) {
		await announceMembershipChanged(app, { boardId: w.boardId, userId, role: null });
		for (const sid of w.sessions) void publishProgress(app, w.boardId, sid);
	}
	// Every board they could have written on: where they are (or were) a member.
	const written = await app.db
		.selectFrom('boards')
		.select('id')
		.where((eb) =>
			eb.or([
				eb('id', 'in', outcome.boards.length > 0 ? outcome.boards : ['']),
				eb('created_by', '=', userId)
			])
		)
		.execute();
	for (const { id } of written) {
		try {
			await changeBoardDoc(
				app,
				id,
				(doc) => void renameAuthor(doc, userId, DELETED_NAME),
				'account-deleted'
			);
		} catch (e) {
			// A board that needs repair keeps the old name until repaired; the account is gone anyway.
			logger.error({ err: e, board: id, userId }, 'could not rename a deleted author on a board');
		}
	}
	return { ok: true };
}
