import type { VoteMethod } from '../../domain/votes/methods';
import type { CollabApp } from '../collab';
import { readBoardCards } from './cards';
import { loadResults } from './results';
import { getSession } from './sessions';

/**
 * The figure each card got in the board's most recently revealed vote, for the board page's
 * compact cards: the measure that session's method ranks by (`total` of the published results:
 * dots, Borda points, mean score, approvals or points). Aggregates only, and only ever from a
 * revealed session (loadResults refuses anything else), so nothing of an open or closed-but-
 * unrevealed vote reaches the board page — for anyone, facilitators included.
 */
export interface CardVoteFigures {
	sessionId: number;
	title: string;
	method: VoteMethod;
	/** Card id → figure, for every card on that session's ballot. */
	totals: Record<string, number>;
}

const KEY = Symbol.for('yoriai.cardVoteFigures');
type Holder = { [KEY]?: Map<number, Promise<CardVoteFigures>> };
/** Sessions kept; each entry is a few numbers per card. Oldest computed go first. */
const CACHE_LIMIT = 500;

export interface RevealedVotes {
	/** Every revealed session of the board: pages compare it with live progress to refresh. */
	revealed: number[];
	/** The figures of the most recently revealed session; null before any reveal. */
	latest: CardVoteFigures | null;
}

/**
 * On the hot path of every board page load: one indexed query lists the revealed sessions,
 * latest reveal first; the latest one's figures are computed once per process and cached (a
 * revealed session takes no more ballots, so its totals never change).
 */
export async function revealedVoteFigures(app: CollabApp, boardId: string): Promise<RevealedVotes> {
	const rows = await app.db
		.selectFrom('vote_sessions')
		.select('id')
		.where('board_id', '=', boardId)
		.where('revealed_at', 'is not', null)
		.orderBy('revealed_at', 'desc')
		.orderBy('id', 'desc')
		.execute();
	const revealed = rows.map((r) => r.id);
	const id = revealed[0];
	if (id === undefined) return { revealed, latest: null };
	const cache = ((app as CollabApp & Holder)[KEY] ??= new Map());
	let figures = cache.get(id);
	if (!figures) {
		figures = computeFigures(app, boardId, id);
		cache.set(id, figures);
		// A failed computation is not remembered: the next load tries again.
		figures.catch(() => cache.delete(id));
		if (cache.size > CACHE_LIMIT) cache.delete(cache.keys().next().value!);
	}
	return { revealed, latest: await figures };
}

async function computeFigures(
	app: CollabApp,
	boardId: string,
	sessionId: number
): Promise<CardVoteFigures> {
	const session = await getSession(app.db, boardId, sessionId);
	if (!session) throw new Error(`vote ${sessionId} not found on board ${boardId}`);
	const results = await loadResults(app.db, session, await readBoardCards(app, boardId));
	return {
		sessionId,
		title: results.title,
		method: results.method,
		totals: Object.fromEntries(results.cards.map((c) => [c.cardId, c.total]))
	};
}
