import * as Y from 'yjs';
import { seedBoard, type Author, type SeedCard, type SeedLane } from '../../domain/board/doc';
import { generateBoardId } from '../../domain/board/id';
import type { BoardTemplate } from '../../domain/board/template';
import { storeInitialState } from '../collab';
import type { Db } from '../db/connect';

export interface NewBoard {
	title: string;
	purpose: string;
	workshopDate: string | null;
	template: BoardTemplate;
	cards: readonly SeedCard[];
	/** The lanes to start with (a follow-up keeps the earlier board's); the presets if absent. */
	lanes?: readonly SeedLane[];
	author: Author;
	now: number;
	/** For a follow-up: the board it continues (its series carries on). */
	previous?: { id: string; seriesId: string };
}

/**
 * Creates a board with its creator as facilitator and its seeded document as the first snapshot,
 * all in one transaction: there is never a board without content or without a facilitator.
 */
export async function createBoard(db: Db, b: NewBoard): Promise<string> {
	const id = generateBoardId();
	const doc = new Y.Doc();
	seedBoard(doc, b.cards, b.author, b.now, b.lanes);
	const update = Y.encodeStateAsUpdate(doc);
	doc.destroy();
	await db.transaction().execute(async (trx) => {
		await trx
			.insertInto('boards')
			.values({
				id,
				title: b.title,
				purpose: b.purpose,
				workshop_date: b.workshopDate,
				template: JSON.stringify(b.template),
				created_by: b.author.id,
				created_at: b.now,
				previous_board_id: b.previous?.id ?? null,
				series_id: b.previous?.seriesId ?? id
			})
			.execute();
		await trx
			.insertInto('board_members')
			.values({
				board_id: id,
				user_id: b.author.id,
				role: 'facilitator',
				added_by: b.author.id,
				added_at: b.now
			})
			.execute();
		await storeInitialState(trx, id, update);
	});
	return id;
}
