import type { RequestEvent } from '@sveltejs/kit';
import type { Cockpit, PresencePlace } from '../../domain/board/presence';
import { roleAllows, type BoardRole } from '../../domain/board/roles';
import type { Db } from '../db/connect';
import { notVotedBy } from './dashboard';
import { getFacilitation } from './facilitation';
import { listPresence, touchPresence } from './presence';
import { listPrepared } from '../votes/prepared';
import { countBallots, countEligible, getSession } from '../votes/sessions';
import type { App } from '../app';

/** Records a visit to a page of the board by the signed-in member (every page load does). */
export function visit(
	event: Pick<RequestEvent, 'locals'>,
	boardId: string,
	who: { user: { id: number; display_name: string; sector: string }; role: BoardRole },
	place: PresencePlace
): void {
	const { app } = event.locals;
	touchPresence(app, boardId, {
		userId: who.user.id,
		name: who.user.display_name,
		sector: who.user.sector,
		role: who.role,
		place,
		at: app.now()
	});
}

async function draftsByAuthor(db: Db, boardId: string): Promise<Cockpit['drafts']> {
	const rows = await db
		.selectFrom('board_drafts as d')
		.innerJoin('users as u', 'u.id', 'd.user_id')
		.select(['u.display_name as name', (eb) => eb.fn.countAll<number>().as('count')])
		.where('d.board_id', '=', boardId)
		.where('d.revealed_at', 'is', null)
		.groupBy(['d.user_id', 'u.display_name'])
		.orderBy('u.display_name')
		.execute();
	const authors = rows.map((r) => ({ name: r.name, count: Number(r.count) }));
	return { total: authors.reduce((n, a) => n + a.count, 0), authors };
}

/** The cockpit of a board, for facilitators only (the caller checks the role). */
export async function cockpitData(app: App, boardId: string): Promise<Cockpit> {
	const now = app.now();
	// Only current members: someone removed a moment ago is not "here" whatever they last sent.
	const members = new Map(
		(
			await app.db
				.selectFrom('board_members')
				.select(['user_id', 'role'])
				.where('board_id', '=', boardId)
				.execute()
		).map((m) => [m.user_id, m.role])
	);
	const present = listPresence(app, boardId, now)
		.filter((e) => members.has(e.userId))
		.map((e) => ({
			userId: e.userId,
			name: e.name,
			sector: e.sector,
			role: members.get(e.userId)!,
			place: e.place
		}));
	const votes = [];
	for (const v of await notVotedBy(app.db, boardId)) {
		const session = await getSession(app.db, boardId, v.sessionId);
		if (!session) continue;
		votes.push({
			sessionId: v.sessionId,
			title: v.title,
			voted: await countBallots(app.db, v.sessionId),
			eligible: await countEligible(app.db, session),
			notVoted: v.members.map((m) => m.name),
			deadline: session.deadline
		});
	}
	return {
		serverNow: now,
		phase: (await getFacilitation(app.db, boardId)).phase,
		present,
		drafts: await draftsByAuthor(app.db, boardId),
		votes,
		prepared: (await listPrepared(app.db, boardId)).map((p) => ({ id: p.id, title: p.title }))
	};
}

/**
 * What every page of a board does on load: count the visit, and give facilitators the cockpit.
 */
export async function visitWithCockpit(
	event: Pick<RequestEvent, 'locals'>,
	boardId: string,
	who: { user: { id: number; display_name: string; sector: string }; role: BoardRole },
	place: PresencePlace
): Promise<Cockpit | null> {
	visit(event, boardId, who, place);
	return roleAllows(who.role, 'facilitate') ? cockpitData(event.locals.app, boardId) : null;
}
