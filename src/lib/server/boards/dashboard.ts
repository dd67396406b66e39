import type { Db } from '../db/connect';
import { votingRoles } from '../votes/sessions';

export interface NotVoted {
	sessionId: number;
	title: string;
	members: { id: number; name: string; sector: string }[];
}

/**
 * For the facilitator's dashboard: per open vote, the members who may vote in it (facilitators
 * only if the session says so) and have not yet —
 * names only, never what anyone chose.
 */
export async function notVotedBy(db: Db, boardId: string): Promise<NotVoted[]> {
	const sessions = await db
		.selectFrom('vote_sessions')
		.select(['id', 'title', 'facilitators_vote'])
		.where('board_id', '=', boardId)
		.where('status', '=', 'open')
		.orderBy('id')
		.execute();
	return Promise.all(
		sessions.map(async (s) => ({
			sessionId: s.id,
			title: s.title,
			members: await db
				.selectFrom('board_members as m')
				.innerJoin('users as u', 'u.id', 'm.user_id')
				.select(['u.id', 'u.display_name as name', 'u.sector'])
				.where('m.board_id', '=', boardId)
				.where('m.role', 'in', votingRoles({ facilitatorsVote: s.facilitators_vote === 1 }))
				.where((eb) =>
					eb.not(
						eb.exists(
							eb
								.selectFrom('ballots as b')
								.select('b.id')
								.where('b.session_id', '=', s.id)
								.whereRef('b.user_id', '=', 'u.id')
						)
					)
				)
				.orderBy('u.display_name')
				.execute()
		}))
	);
}
