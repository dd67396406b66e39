import { readBoard, type BoardView, type CardView } from '../../domain/board/doc';
import { wordingHash } from '../../domain/votes/wording';
import { readBoardDoc, type CollabApp } from '../collab';

export interface BallotCard extends CardView {
	wordingHash: string;
}

export interface BoardCards {
	view: BoardView;
	/** Every card, archived ones included (they keep resolving on old ballots and decisions). */
	byId: Map<string, BallotCard>;
}

const KEY = Symbol.for('yoriai.boardCards');
type Holder = { [KEY]?: Map<string, Promise<BoardCards>> };

/**
 * The board's cards as they read now, with the wording hash a ballot records. Read from the
 * server's copy of the document — never from anything the browser sends — and before any
 * database transaction starts (loading a document may itself query the database).
 *
 * Concurrent calls for one board share one read (a room voting at once would otherwise copy the
 * whole document once per ballot); a call made after a read finished starts a fresh one. The
 * result is shared: callers only read it.
 */
export function readBoardCards(app: CollabApp, boardId: string): Promise<BoardCards> {
	const inflight = ((app as CollabApp & Holder)[KEY] ??= new Map());
	const running = inflight.get(boardId);
	if (running) return running;
	const read = readOnce(app, boardId).finally(() => inflight.delete(boardId));
	inflight.set(boardId, read);
	return read;
}

async function readOnce(app: CollabApp, boardId: string): Promise<BoardCards> {
	const doc = await readBoardDoc(app, boardId);
	try {
		const view = readBoard(doc);
		const byId = new Map<string, BallotCard>();
		for (const card of [...view.lanes.flatMap((l) => l.cards), ...view.archived])
			byId.set(card.id, { ...card, wordingHash: wordingHash(card.title, card.note) });
		return { view, byId };
	} finally {
		doc.destroy();
	}
}

/** Hashes of the cards that can take a vote now: on the board and not merged away. */
export function votableWordings(cards: BoardCards, ids: readonly string[]): Map<string, string> {
	const out = new Map<string, string>();
	for (const id of ids) {
		const c = cards.byId.get(id);
		if (c && !c.archived) out.set(id, c.wordingHash);
	}
	return out;
}
