import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { setCardText } from '../../src/lib/domain/board/doc';
import { isOverdue, japanDate } from '../../src/lib/domain/decisions/due';
import { changeBoardDoc } from '../../src/lib/server/collab';
import { listAudit } from '../../src/lib/server/boards/audit-log';
import {
	createAction,
	editAction,
	listBoardActions,
	listOwnedActions,
	updateProgress
} from '../../src/lib/server/decisions/actions';
import {
	getDecision,
	listDecisions,
	recordDecision,
	type DecisionInput
} from '../../src/lib/server/decisions/decisions';
import { gatherBundle } from '../../src/lib/server/exports/gather';
import { readBoardCards } from '../../src/lib/server/votes/cards';
import { startTestServer, type TestServer } from '../helpers/collab';
import type { TestUser } from '../helpers/users';
import { voteBoard, voters, type VoteBoard } from '../helpers/votes';

let s: TestServer;
let board: VoteBoard;
let owner: TestUser;
let other: TestUser;
let observer: TestUser;

const actor = (u: TestUser) => ({ id: u.id, name: u.displayName });

async function input(text: string, cardIds = board.cards.slice(0, 2)): Promise<DecisionInput> {
	const cards = await readBoardCards(s.app, board.id);
	return {
		text,
		rationale: '産業界と学術の双方が支持',
		dissent: [{ sector: 'civil_society', text: '地方への配慮が足りない' }],
		cards: cardIds.map((id) => {
			const c = cards.byId.get(id)!;
			return { id, title: c.title, sources: c.sources };
		}),
		vote: null
	};
}

beforeAll(async () => {
	s = await startTestServer();
	[owner, other, observer] = (await voters(s.app, ['industry', 'academia', 'media'])) as [
		TestUser,
		TestUser,
		TestUser
	];
	board = await voteBoard(s.app, 4, [
		[owner, 'participant'],
		[other, 'participant'],
		[observer, 'observer']
	]);
});
afterAll(() => s.close());

describe('decisions', () => {
	test('a change is a new revision; old revisions cannot be edited', async () => {
		const r = await recordDecision(
			s.db,
			board.id,
			null,
			await input('人材育成を最優先'),
			actor(board.facilitator),
			1000
		);
		if (!r.ok) throw new Error(r.error);
		const again = await recordDecision(
			s.db,
			board.id,
			r.id,
			await input('人材育成と研究基盤を最優先'),
			actor(board.facilitator),
			2000
		);
		expect(again).toEqual({ ok: true, id: r.id });
		const d = (await getDecision(s.db, board.id, r.id))!;
		expect(d.revisions.map((x) => [x.revision, x.text])).toEqual([
			[2, '人材育成と研究基盤を最優先'],
			[1, '人材育成を最優先']
		]);
		expect(d.revisions[0]!.dissent).toEqual([
			{ sector: 'civil_society', text: '地方への配慮が足りない' }
		]);
		expect(d.revisions[0]!.recordedBy).toBe('ファシリテーター');
		await expect(
			sql`update decision_revisions set text = 'rewritten' where decision_id = ${r.id}`.execute(
				s.db
			)
		).rejects.toThrow(/append-only/u);
		// AC-02: through another board the decision does not exist, and cannot be revised.
		const elsewhere = await voteBoard(s.app, 1);
		expect(await getDecision(s.db, elsewhere.id, r.id)).toBeNull();
		expect(
			await recordDecision(
				s.db,
				elsewhere.id,
				r.id,
				await input('x'),
				actor(elsewhere.facilitator),
				3000
			)
		).toEqual({
			ok: false,
			error: 'not_found'
		});
		const audit = (await listAudit(s.db, board.id, 50)).map((a) => a.kind);
		expect(audit).toEqual(expect.arrayContaining(['decision_recorded', 'decision_revised']));
	});
});

describe('actions', () => {
	test('provenance is copied from the decision and survives later card edits', async () => {
		const d = await recordDecision(
			s.db,
			board.id,
			null,
			await input('データ基盤', [board.cards[2]!]),
			actor(board.facilitator),
			1000
		);
		if (!d.ok) throw new Error(d.error);
		const a = await createAction(
			s.db,
			board.id,
			d.id,
			{
				title: '工程表を作る',
				owner: { kind: 'member', userId: owner.id },
				due: '2026-12-01',
				notes: ''
			},
			actor(board.facilitator),
			1000
		);
		if (!a.ok) throw new Error(a.error);
		await changeBoardDoc(
			s.app,
			board.id,
			(doc) => setCardText(doc, board.cards[2]!, 'title', '別の題'),
			'test'
		);
		const view = (await listBoardActions(s.db, board.id)).find((x) => x.id === a.id)!;
		expect(view.cards).toEqual([{ id: board.cards[2], title: '提言 3' }]);
		expect(view.sources).toHaveLength(1);
		expect(view.sources[0]!.itemId).toBe('cocn25-003');
		expect(view.owner).toMatchObject({ kind: 'member', userId: owner.id });

		// A member owner must be on the board; organisations are free text.
		const outsider = (await voters(s.app, ['other']))[0]!;
		expect(
			await createAction(
				s.db,
				board.id,
				d.id,
				{ title: 'x', owner: { kind: 'member', userId: outsider.id }, due: null, notes: '' },
				actor(board.facilitator),
				1
			)
		).toEqual({ ok: false, error: 'not_member' });
		expect(
			(
				await createAction(
					s.db,
					board.id,
					d.id,
					{
						title: '予算要求',
						owner: { kind: 'organisation', name: '内閣府' },
						due: null,
						notes: ''
					},
					actor(board.facilitator),
					1
				)
			).ok
		).toBe(true);
	});

	test('owners and facilitators change status; other members cannot', async () => {
		const [a] = (await listBoardActions(s.db, board.id)).filter((x) => x.owner.kind === 'member');
		const as = (u: TestUser, facilitator = false) => ({ ...actor(u), facilitator });
		expect(
			await updateProgress(
				s.db,
				board.id,
				a!.id,
				{ status: 'in_progress', notes: '着手' },
				as(other),
				2
			)
		).toEqual({
			ok: false,
			error: 'forbidden'
		});
		expect(
			(
				await updateProgress(
					s.db,
					board.id,
					a!.id,
					{ status: 'in_progress', notes: '着手' },
					as(owner),
					2
				)
			).ok
		).toBe(true);
		expect(
			(
				await updateProgress(
					s.db,
					board.id,
					a!.id,
					{ status: 'done', notes: undefined },
					as(board.facilitator, true),
					3
				)
			).ok
		).toBe(true);
		const after = (await listBoardActions(s.db, board.id)).find((x) => x.id === a!.id)!;
		expect(after).toMatchObject({ status: 'done', notes: '着手' });
		const audit = await listAudit(s.db, board.id, 50);
		expect(audit.find((e) => e.kind === 'action_updated')?.detail).toMatchObject({
			status: ['in_progress', 'done']
		});
		expect(
			await editAction(
				s.db,
				board.id,
				a!.id,
				{ title: '改題', owner: { kind: 'none' }, due: null },
				actor(board.facilitator),
				4
			)
		).toEqual({
			ok: true,
			id: a!.id
		});
	});

	test('/actions lists what a user owns, only on boards they are still on', async () => {
		const d = (await listDecisions(s.db, board.id))[0]!;
		await createAction(
			s.db,
			board.id,
			d.id,
			{
				title: '報告書を配る',
				owner: { kind: 'member', userId: other.id },
				due: '2026-11-30',
				notes: ''
			},
			actor(board.facilitator),
			5
		);
		expect((await listOwnedActions(s.db, other.id)).map((a) => [a.title, a.boardTitle])).toEqual([
			['報告書を配る', '投票テスト']
		]);
		await s.db
			.deleteFrom('board_members')
			.where('user_id', '=', other.id)
			.where('board_id', '=', board.id)
			.execute();
		expect(await listOwnedActions(s.db, other.id)).toEqual([]);
	});
});

describe('export bundle', () => {
	test('observers get the action list only; members taking part get the record', async () => {
		const outcome = await gatherBundle(
			s.app,
			board.id,
			{ record: false, votes: false, cards: false },
			10
		);
		expect(outcome!.decisions).toEqual([]);
		expect(outcome!.participants).toEqual([]);
		expect(outcome!.actions.length).toBeGreaterThan(0);
		expect(outcome!.actions[0]!.decision).not.toBe('');
		const record = await gatherBundle(
			s.app,
			board.id,
			{ record: true, votes: true, cards: true },
			10
		);
		expect(record!.decisions.length).toBeGreaterThan(0);
		// Nobody agreed to be named in records (the default): counts only, no names.
		expect(record!.participants).toEqual([{ sector: 'industry', count: 2, names: [] }]);
	});
});

describe('action due dates and owners', () => {
	// 2026-12-03 00:30 in Tokyo is still 2 December in UTC: the Japanese date is what counts.
	const now = Date.UTC(2026, 11, 2, 15, 30);

	test('japanDate is the calendar day in Asia/Tokyo; overdue means past it and still to do', () => {
		expect(japanDate(now)).toBe('2026-12-03');
		expect(isOverdue({ due: '2026-12-02', status: 'open' }, '2026-12-03')).toBe(true);
		expect(isOverdue({ due: '2026-12-02', status: 'in_progress' }, '2026-12-03')).toBe(true);
		expect(isOverdue({ due: '2026-12-03', status: 'open' }, '2026-12-03')).toBe(false);
		expect(isOverdue({ due: '2026-12-02', status: 'done' }, '2026-12-03')).toBe(false);
		expect(isOverdue({ due: '2026-12-02', status: 'dropped' }, '2026-12-03')).toBe(false);
		expect(isOverdue({ due: null, status: 'open' }, '2026-12-03')).toBe(false);
	});

	test('a past due date is refused when set, today in Japan is accepted, an unchanged one may stay', async () => {
		const d = await recordDecision(
			s.db,
			board.id,
			null,
			await input('期限の確認', [board.cards[3]!]),
			actor(board.facilitator),
			now
		);
		if (!d.ok) throw new Error(d.error);
		const fields = (due: string | null) => ({
			title: '期限つき',
			owner: { kind: 'none' as const },
			due,
			notes: ''
		});
		const before = (await listBoardActions(s.db, board.id)).length;
		expect(
			await createAction(s.db, board.id, d.id, fields('2026-12-02'), actor(board.facilitator), now)
		).toEqual({ ok: false, error: 'past_due' });
		expect(await listBoardActions(s.db, board.id)).toHaveLength(before);
		const a = await createAction(
			s.db,
			board.id,
			d.id,
			fields('2026-12-03'),
			actor(board.facilitator),
			now
		);
		if (!a.ok) throw new Error(a.error);
		// A day later the date has passed: renaming keeps it, moving it into the past is refused.
		const later = now + 86_400_000;
		const edit = (due: string | null) =>
			editAction(
				s.db,
				board.id,
				a.id,
				{ title: '改題', owner: { kind: 'none' }, due },
				actor(board.facilitator),
				later
			);
		expect((await edit('2026-12-03')).ok).toBe(true);
		expect(await edit('2026-12-01')).toEqual({ ok: false, error: 'past_due' });
		expect((await edit('2026-12-10')).ok).toBe(true);
	});

	test('AC-02 an observer cannot own an action, on creation or edit', async () => {
		const [d] = await listDecisions(s.db, board.id);
		const r = await createAction(
			s.db,
			board.id,
			d!.id,
			{ title: '観察', owner: { kind: 'member', userId: observer.id }, due: null, notes: '' },
			actor(board.facilitator),
			now
		);
		expect(r).toEqual({ ok: false, error: 'observer_owner' });
		const [a] = await listBoardActions(s.db, board.id);
		expect(
			await editAction(
				s.db,
				board.id,
				a!.id,
				{ title: a!.title, owner: { kind: 'member', userId: observer.id }, due: a!.due },
				actor(board.facilitator),
				now
			)
		).toEqual({ ok: false, error: 'observer_owner' });
	});
});
