import type { BoardCards } from '$lib/server/votes/cards';
import { listSessions } from '$lib/server/votes/sessions';
import type { Db } from '$lib/server/db/connect';
import { listMembers } from '$lib/server/boards/members';
import type { DecisionSetup } from './types';

/** What the decision forms offer a facilitator: cards by lane, revealed votes, members. */
export async function decisionSetup(
	db: Db,
	boardId: string,
	cards: BoardCards
): Promise<DecisionSetup> {
	const sessions = await listSessions(db, boardId);
	return {
		lanes: cards.view.lanes.map((l) => ({
			id: l.id,
			title: l.title,
			preset: l.preset,
			cards: l.cards.map((c) => ({ id: c.id, title: c.title, sources: c.sources.length }))
		})),
		votes: sessions
			.filter((s) => s.revealedAt !== null)
			.map((s) => ({ id: s.id, title: s.title, method: s.settings.method })),
		// Observers cannot own actions (createAction refuses them too), so they are not offered.
		members: (await listMembers(db, boardId))
			.filter((m) => m.role !== 'observer')
			.map((m) => ({ id: m.userId, name: m.displayName, organisation: m.organisation }))
	};
}
