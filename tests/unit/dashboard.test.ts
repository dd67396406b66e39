import { afterEach, beforeEach, expect, test } from 'vitest';
import { createBoard } from '../../src/lib/server/boards/create';
import { notVotedBy } from '../../src/lib/server/boards/dashboard';
import { addMember } from '../../src/lib/server/boards/members';
import { tempDb } from '../helpers/db';
import { createUser } from '../helpers/users';

let t: Awaited<ReturnType<typeof tempDb>>;
beforeEach(async () => {
	t = await tempDb();
});
afterEach(async () => {
	await t.cleanup();
});

test('the dashboard lists who may vote and has not, per open vote; observers are not expected to', async () => {
	const fac = await createUser(t.db, { displayName: '司会' });
	const a = await createUser(t.db, { displayName: '投票済み' });
	const b = await createUser(t.db, { displayName: '未投票' });
	const o = await createUser(t.db, { displayName: '傍聴' });
	const now = Date.now();
	const board = await createBoard(t.db, {
		title: 'B',
		purpose: '',
		workshopDate: null,
		template: { type: 'selection', ids: ['cocn25-001'] },
		cards: [],
		author: { id: fac.id, name: fac.displayName },
		now
	});
	for (const [u, role] of [
		[a, 'participant'],
		[b, 'participant'],
		[o, 'observer']
	] as const)
		await addMember(t.db, board, { username: u.username, role, by: fac.id, now });
	const session = (sessionStatus: 'open' | 'closed') =>
		t.db
			.insertInto('vote_sessions')
			.values({
				board_id: board,
				title: sessionStatus === 'open' ? '優先度' : '済んだ投票',
				method: 'approval',
				settings: '{}',
				cards: '[]',
				anonymous: 1,
				min_group: 3,
				deadline: null,
				status: sessionStatus,
				opened_by: fac.id,
				opened_at: now
			})
			.returning('id')
			.executeTakeFirstOrThrow();
	const open = await session('open');
	await session('closed');
	await t.db
		.insertInto('ballots')
		.values({
			session_id: open.id,
			user_id: a.id,
			sector: 'industry',
			cast_at: now,
			updated_at: now
		})
		.execute();
	const r = await notVotedBy(t.db, board);
	expect(r).toHaveLength(1);
	expect(r[0]?.title).toBe('優先度');
	expect(r[0]?.members.map((m) => m.name).sort()).toEqual(['司会', '未投票'].sort());
});
