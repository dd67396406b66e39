import type { Kysely } from 'kysely';
import { crc32 } from 'node:zlib';
import * as Y from 'yjs';
import type { Database } from '../db/schema';
import { storedRowProblem } from './store';
import { readStoredRows } from './stored-rows';

/** A stored blob the repair leaves out, with why. */
export interface DroppedRow {
	what: 'snapshot' | 'update';
	seq: number;
	reason: string;
	data: Uint8Array;
}

export interface RepairPlan {
	boardId: string;
	/** Log rows (and the snapshot, if usable) that go into the new snapshot. */
	kept: number;
	dropped: DroppedRow[];
	/** Kept edits that build on dropped ones: Yjs holds them back until what they need arrives. */
	pending: boolean;
	/** The highest seq read: the new snapshot covers every row up to it. */
	lastSeq: number;
	/** The repaired document, encoded. */
	state: Uint8Array;
}

interface Row {
	seq: number;
	data: Uint8Array;
	crc: number | null;
}

/**
 * Rebuilds a board's document from whatever of its stored rows can be used (REL-04: a board
 * whose rows do not load is refused with 4422 until this runs). A row is left out when loading
 * would refuse it (`storedRowProblem`) or when Yjs refuses it; everything else is applied in
 * order. Pure: nothing is written (see `applyRepair`).
 */
export function planRepair(boardId: string, snapshot: Row | null, log: readonly Row[]): RepairPlan {
	const dropped: DroppedRow[] = [];
	const accepted: Uint8Array[] = [];
	let doc = new Y.Doc();
	const consider = (row: Row, what: DroppedRow['what']) => {
		const reason = storedRowProblem(row) ?? applies(row.data);
		if (reason === null) accepted.push(row.data);
		else dropped.push({ what, seq: row.seq, reason, data: row.data });
	};
	const applies = (data: Uint8Array): string | null => {
		try {
			Y.applyUpdate(doc, data);
			return null;
		} catch (e) {
			// Yjs has no rollback: start again from what was accepted so far.
			doc.destroy();
			doc = new Y.Doc();
			for (const ok of accepted) Y.applyUpdate(doc, ok);
			return `refused by Yjs: ${e instanceof Error ? e.message : String(e)}`;
		}
	};
	if (snapshot) consider(snapshot, 'snapshot');
	for (const row of log) consider(row, 'update');
	const plan: RepairPlan = {
		boardId,
		kept: accepted.length,
		dropped,
		pending: doc.store.pendingStructs !== null || doc.store.pendingDs !== null,
		lastSeq: Math.max(snapshot?.seq ?? 0, ...log.map((r) => r.seq)),
		state: Y.encodeStateAsUpdate(doc)
	};
	doc.destroy();
	return plan;
}

/** Reads a board's stored rows and plans their repair. */
export async function readRepairPlan(db: Kysely<Database>, boardId: string): Promise<RepairPlan> {
	const { snapshot, log } = await readStoredRows(db, boardId);
	return planRepair(boardId, snapshot, log);
}

/**
 * Writes the plan in one transaction: the repaired document becomes the snapshot covering every
 * row read, and those rows are deleted. Rows written after the plan was read (there should be
 * none: the server refuses a board that needs repair) are left alone.
 */
export async function applyRepair(db: Kysely<Database>, plan: RepairPlan, now: number) {
	await db.transaction().execute(async (trx) => {
		await trx
			.insertInto('collab_snapshots')
			.values({
				board_id: plan.boardId,
				seq: plan.lastSeq,
				data: plan.state,
				crc: crc32(plan.state),
				updated_at: now
			})
			.onConflict((oc) =>
				oc.column('board_id').doUpdateSet({
					seq: plan.lastSeq,
					data: plan.state,
					crc: crc32(plan.state),
					updated_at: now
				})
			)
			.execute();
		await trx
			.deleteFrom('collab_updates')
			.where('board_id', '=', plan.boardId)
			.where('seq', '<=', plan.lastSeq)
			.execute();
	});
}
