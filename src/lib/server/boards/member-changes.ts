import type { BoardRole } from '../../domain/board/roles';
import type { App } from '../app';
import { announceMembershipChanged } from '../events/announce';
import { publishProgress } from '../votes/progress';
import { recordAudit } from './audit-log';
import { redeemInvite, type Redeemed } from './invites';
import { addMember, changeMember, type MemberChange } from './members';

/**
 * Membership changes with their side effects, each in one place: the row, then every process's
 * open sockets follow (announce.ts: a removed member's socket closes, a demoted one turns
 * read-only), withdrawn ballots update the live vote counts, and the board's audit log records
 * it. The members and invite routes call these.
 */
type MemberApp = Pick<App, 'config' | 'db' | 'database' | 'events' | 'now' | 'processId'>;

interface Actor {
	id: number;
	name: string;
}

/** A facilitator adds an existing account by username. */
export async function addBoardMember(
	app: MemberApp,
	boardId: string,
	actor: Actor,
	input: { username: string; role: BoardRole }
): Promise<MemberChange> {
	const r = await addMember(app.db, boardId, { ...input, by: actor.id, now: app.now() });
	if (!r.ok) return r;
	await announceMembershipChanged(app, { boardId, userId: r.userId, role: r.role });
	await recordAudit(app.db, {
		boardId,
		actor,
		kind: 'member_added',
		subject: `user:${r.userId}`,
		detail: { role: r.role },
		at: app.now()
	});
	return r;
}

/** A role change, or removal (role null). */
export async function changeBoardMember(
	app: MemberApp,
	boardId: string,
	actor: Actor,
	userId: number,
	role: BoardRole | null
): Promise<MemberChange> {
	const r = await changeMember(app.db, boardId, userId, role, app.now());
	if (!r.ok) return r;
	await announceMembershipChanged(app, { boardId, userId: r.userId, role: r.role });
	const withdrawn = r.withdrawnFrom ?? [];
	for (const session of withdrawn) void publishProgress(app, boardId, session);
	await recordAudit(app.db, {
		boardId,
		actor,
		kind: role === null ? 'member_removed' : 'member_role_changed',
		subject: `user:${r.userId}`,
		detail: {
			...(role === null ? {} : { role }),
			...(withdrawn.length > 0 ? { ballotsWithdrawn: withdrawn.length } : {})
		},
		at: app.now()
	});
	return r;
}

/** Someone joins a board through an invite link (a member already keeps their role). */
export async function joinBoardByInvite(
	app: MemberApp,
	token: string,
	userId: number
): Promise<Redeemed> {
	const r = await redeemInvite(app.db, token, userId, app.now());
	if (!r.ok || !r.joined) return r;
	await announceMembershipChanged(app, { boardId: r.boardId, userId, role: r.role });
	// The board's audit log records joining by invite like any other membership change.
	const { display_name: name } = await app.db
		.selectFrom('users')
		.select('display_name')
		.where('id', '=', userId)
		.executeTakeFirstOrThrow();
	await recordAudit(app.db, {
		boardId: r.boardId,
		actor: { id: userId, name },
		kind: 'member_added',
		subject: `user:${userId}`,
		detail: { role: r.role, via: 'invite' },
		at: app.now()
	});
	return r;
}
