import { buildResults, type CastBallot, type VoteResults } from '../../domain/votes/results';
import type { Db } from '../db/connect';
import type { BoardCards } from './cards';
import { countEligible, isClosed, type VoteSession } from './sessions';

/**
 * The published results of a revealed session. Throws for a session not yet revealed: callers
 * check first, and a mistake must fail closed rather than publish a tally early. The one
 * exception is `preview`: a facilitator's private look at a closed session before revealing it
 * (the vote page asks for it only for facilitators; it is never published, exported or pushed).
 */
export async function loadResults(
	db: Db,
	session: VoteSession,
	cards: BoardCards,
	preview?: { now: number }
): Promise<VoteResults> {
	if (session.revealedAt === null && !(preview && isClosed(session, preview.now)))
		throw new Error(`vote ${session.id} is not revealed`);
	const rows = await db
		.selectFrom('ballots')
		.innerJoin('users', 'users.id', 'ballots.user_id')
		.leftJoin('ballot_entries', 'ballot_entries.ballot_id', 'ballots.id')
		.select([
			'ballots.id as ballotId',
			'ballots.user_id as userId',
			'ballots.sector',
			'users.display_name as name',
			'ballot_entries.card_id as cardId',
			'ballot_entries.value',
			'ballot_entries.value2',
			'ballot_entries.wording_hash as wordingHash'
		])
		.where('ballots.session_id', '=', session.id)
		.orderBy('ballots.id')
		.execute();
	const ballots = new Map<number, CastBallot & { entries: CastBallot['entries'][number][] }>();
	for (const r of rows) {
		let b = ballots.get(r.ballotId);
		if (!b) {
			b = { voterId: r.userId, sector: r.sector, name: r.name, entries: [] };
			ballots.set(r.ballotId, b);
		}
		if (r.cardId !== null && r.value !== null && r.wordingHash !== null)
			b.entries.push({
				cardId: r.cardId,
				value: r.value,
				value2: r.value2,
				wordingHash: r.wordingHash
			});
	}
	return buildResults({
		session: {
			id: session.id,
			title: session.title,
			settings: session.settings,
			anonymous: session.anonymous,
			minGroup: session.minGroup,
			revealedAt: session.revealedAt
		},
		cards: session.cards.map((id) => {
			const c = cards.byId.get(id);
			return { id, title: c?.title ?? '', wordingHash: c?.wordingHash ?? '' };
		}),
		ballots: [...ballots.values()],
		eligible: await countEligible(db, session)
	});
}
