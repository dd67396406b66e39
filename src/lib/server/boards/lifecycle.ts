import type { Transaction } from 'kysely';
import {
	deletionBlockers,
	docContributions,
	type DeletionBlocker,
	type SqlContributions
} from '../../domain/board/deletable';
import type { Actor } from '../../domain/decisions/types';
import type { App } from '../app';
import { dropBoard, readBoardDoc, setBoardArchived } from '../collab';
import type { Database } from '../db/schema';
import { recordAudit } from './audit-log';
import { isArchived } from './boards';
import { logger } from '../log/logger';

/**
 * Archiving and deleting whole boards. An archived board is read-only for everyone, facilitators
 * included, until a facilitator restores it: HTTP actions refuse through the board guard
 * (`requireBoardRole`), the realtime server drops every update (BoardPolicies), invites stop
 * working. It stays readable and exportable. Deleting is for boards nobody contributed to
 * (`deletable.ts` says exactly which).
 */
/** Archives or restores; false when the board was already in that state (nothing written). */
export async function setArchived(
	app: App,
	boardId: string,
	archived: boolean,
	actor: Actor
): Promise<boolean> {
	const now = app.now();
	const changed = await app.db.transaction().execute(async (trx) => {
		const r = await trx
			.updateTable('boards')
			.set({ archived_at: archived ? now : null, archived_by: archived ? actor.id : null })
			.where('id', '=', boardId)
			.where('archived_at', archived ? 'is' : 'is not', null)
			.executeTakeFirst();
		if (Number(r.numUpdatedRows) === 0) return false;
		await recordAudit(trx, {
			boardId,
			actor,
			kind: archived ? 'board_archived' : 'board_restored',
			subject: '',
			at: now
		});
		return true;
	});
	// SQL first: a socket update judged in between still meets the guard's view on the next one.
	if (changed) await setBoardArchived(app, boardId, archived);
	return changed;
}

async function sqlContributions(
	trx: Transaction<Database>,
	boardId: string
): Promise<SqlContributions> {
	const count = async (
		table: 'vote_sessions' | 'decisions' | 'actions' | 'board_drafts'
	): Promise<number> => {
		const r = await trx
			.selectFrom(table)
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.where('board_id', '=', boardId)
			.executeTakeFirstOrThrow();
		return Number(r.n);
	};
	const followUps = await trx
		.selectFrom('boards')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('previous_board_id', '=', boardId)
		.executeTakeFirstOrThrow();
	return {
		votes: await count('vote_sessions'),
		decisions: await count('decisions'),
		actions: await count('actions'),
		drafts: await count('board_drafts'),
		followUps: Number(followUps.n)
	};
}

/** What stops this board from being deleted now (empty: it may be). */
export async function boardDeletionBlockers(app: App, boardId: string): Promise<DeletionBlocker[]> {
	const doc = await readBoardDoc(app, boardId);
	const inDoc = docContributions(doc);
	doc.destroy();
	return app.db
		.transaction()
		.execute(async (trx) => deletionBlockers(inDoc, await sqlContributions(trx, boardId)));
}

export type DeleteResult = { ok: true } | { ok: false; blockers: DeletionBlocker[] };

/**
 * Deletes a board nobody contributed to, with every row that belongs to it (members, invites,
 * its document's log and snapshot, facilitation, audit: all `on delete cascade`), then closes its
 * open sockets. The board is frozen first — no update is taken from anyone while it is judged —
 * so what is checked is exactly what would be deleted; if it may not be deleted, it is thawed.
 */
export async function deleteBoard(app: App, boardId: string, actor: Actor): Promise<DeleteResult> {
	const wasArchived = await isArchived(app.db, boardId);
	await setBoardArchived(app, boardId, true);
	let result: DeleteResult;
	try {
		const doc = await readBoardDoc(app, boardId);
		const inDoc = docContributions(doc);
		doc.destroy();
		// Reading loaded the board; let the compaction its release scheduled finish now, not
		// after its rows are gone.
		await setBoardArchived(app, boardId, true);
		result = await app.db.transaction().execute(async (trx): Promise<DeleteResult> => {
			const blockers = deletionBlockers(inDoc, await sqlContributions(trx, boardId));
			if (blockers.length > 0) return { ok: false, blockers };
			await trx.deleteFrom('boards').where('id', '=', boardId).execute();
			return { ok: true };
		});
	} catch (e) {
		await setBoardArchived(app, boardId, wasArchived);
		throw e;
	}
	if (!result.ok) {
		await setBoardArchived(app, boardId, wasArchived);
		return result;
	}
	await dropBoard(app, boardId);
	// The board's own audit log went with it; the server log keeps who deleted what.
	logger.info({ board: boardId, userId: actor.id }, 'board deleted');
	return result;
}
