import type { Db } from '../db/connect';

/** Prepared votes a board keeps at most (a facilitator's plan for one workshop, not an archive). */
export const PREPARED_MAX = 20;

export interface PreparedVote {
	id: number;
	title: string;
	/** The "open a vote" form as submitted: its single fields and the cards ticked. */
	fields: Record<string, string>;
	cards: string[];
	createdAt: number;
}

interface Stored {
	fields: Record<string, string>;
	cards: string[];
}

export async function listPrepared(db: Db, boardId: string): Promise<PreparedVote[]> {
	const rows = await db
		.selectFrom('vote_drafts')
		.selectAll()
		.where('board_id', '=', boardId)
		.orderBy('id')
		.execute();
	return rows.map((r) => {
		const stored = JSON.parse(r.fields) as Stored;
		return { id: r.id, title: r.title, ...stored, createdAt: r.created_at };
	});
}

export async function getPrepared(
	db: Db,
	boardId: string,
	id: number
): Promise<PreparedVote | null> {
	return (await listPrepared(db, boardId)).find((p) => p.id === id) ?? null;
}

/**
 * Keeps a vote the facilitator prepared; false when the board already keeps `PREPARED_MAX`.
 * The caller has checked the form as opening would (and opening checks it again).
 */
export async function savePrepared(
	db: Db,
	boardId: string,
	input: { title: string } & Stored,
	by: number,
	now: number
): Promise<boolean> {
	const { n } = await db
		.selectFrom('vote_drafts')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('board_id', '=', boardId)
		.executeTakeFirstOrThrow();
	if (Number(n) >= PREPARED_MAX) return false;
	await db
		.insertInto('vote_drafts')
		.values({
			board_id: boardId,
			title: input.title,
			fields: JSON.stringify({ fields: input.fields, cards: input.cards } satisfies Stored),
			created_by: by,
			created_at: now
		})
		.execute();
	return true;
}

export async function dropPrepared(db: Db, boardId: string, id: number): Promise<boolean> {
	const r = await db
		.deleteFrom('vote_drafts')
		.where('board_id', '=', boardId)
		.where('id', '=', id)
		.executeTakeFirst();
	return Number(r.numDeletedRows) > 0;
}
