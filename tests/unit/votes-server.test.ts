import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { setCardText } from '../../src/lib/domain/board/doc';
import { ballotOrder } from '../../src/lib/domain/votes/order';
import { readVoteProgress } from '../../src/lib/domain/votes/progress';
import { notVotedBy } from '../../src/lib/server/boards/dashboard';
import { readBoardDoc, changeBoardDoc } from '../../src/lib/server/collab';
import { listAudit } from '../../src/lib/server/boards/audit-log';
import {
	adjustBallot,
	castBallot,
	confirmBallot,
	readOwnBallot
} from '../../src/lib/server/votes/ballots';
import { readBoardCards, votableWordings } from '../../src/lib/server/votes/cards';
import { publishProgress } from '../../src/lib/server/votes/progress';
import { loadResults } from '../../src/lib/server/votes/results';
import {
	closeSession,
	countBallots,
	countEligible,
	getSession,
	revealSession,
	type NewSession
} from '../../src/lib/server/votes/sessions';
import { startVote } from '../../src/lib/server/votes/start';
import { getFacilitation, updateFacilitation } from '../../src/lib/server/boards/facilitation';
import { changeMember } from '../../src/lib/server/boards/members';
import { startTestServer, type TestServer } from '../helpers/collab';
import { voteBoard, voters, type VoteBoard } from '../helpers/votes';
import type { TestUser } from '../helpers/users';

let s: TestServer;
let board: VoteBoard;
let people: TestUser[];
let observer: TestUser;
let outsider: TestUser;

const actor = (u: TestUser) => ({ id: u.id, name: u.displayName });
const voter = (u: TestUser) => ({ id: u.id, sector: u.sector });
const wordings = async (ids: string[] = board.cards) =>
	votableWordings(await readBoardCards(s.app, board.id), ids);

async function open(settings: NewSession['settings'], extra: Partial<NewSession> = {}) {
	const r = await startVote(
		s.app,
		board.id,
		{
			title: '優先順位',
			settings,
			cards: board.cards,
			anonymous: true,
			minGroup: 3,
			deadline: null,
			...extra
		},
		actor(board.facilitator),
		Date.now()
	);
	if (!r.ok) throw new Error(r.error);
	return r.id;
}

beforeAll(async () => {
	s = await startTestServer();
	people = await voters(s.app, ['industry', 'academia', 'government']);
	[observer, outsider] = (await voters(s.app, ['media', 'other'])) as [TestUser, TestUser];
	board = await voteBoard(s.app, 6, [
		...people.map((p) => [p, 'participant'] as [TestUser, 'participant']),
		[observer, 'observer']
	]);
});
afterAll(() => s.close());

describe('ballots', () => {
	test('AC-07 50 parallel "one more dot" posts with budget 3 store exactly 3 dots', async () => {
		const id = await open({ method: 'dots', budget: 3, cap: 3 });
		const w = await wordings();
		const results = await Promise.all(
			Array.from({ length: 50 }, (_, i) =>
				adjustBallot(s.db, board.id, id, voter(people[0]!), board.cards[i % 2]!, 1, w, Date.now())
			)
		);
		expect(results.filter((r) => r.ok)).toHaveLength(3);
		expect(new Set(results.filter((r) => !r.ok).map((r) => !r.ok && r.error))).toEqual(
			new Set(['over_budget'])
		);
		const mine = await readOwnBallot(s.db, id, people[0]!.id);
		expect(mine!.reduce((a, e) => a + e.value, 0)).toBe(3);
		const rows = await s.db
			.selectFrom('ballots')
			.select('id')
			.where('session_id', '=', id)
			.execute();
		expect(rows).toHaveLength(1);
	});

	test('AC-07 50 parallel whole ballots from one voter: one ballot, the last one wins', async () => {
		const id = await open({ method: 'points', total: 100 });
		const w = await wordings();
		await Promise.all(
			Array.from({ length: 50 }, (_, i) =>
				castBallot(
					s.db,
					board.id,
					id,
					voter(people[1]!),
					[{ cardId: board.cards[0]!, value: i + 1, value2: null }],
					w,
					Date.now()
				)
			)
		);
		const { n } = await s.db
			.selectFrom('ballots')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.where('session_id', '=', id)
			.executeTakeFirstOrThrow();
		expect(Number(n)).toBe(1);
		expect((await readOwnBallot(s.db, id, people[1]!.id))![0]!.value).toBe(50);
	});

	test('AC-06 observers, outsiders, other phases, closed and past-deadline sessions take no ballot', async () => {
		const id = await open({ method: 'approval' });
		const w = await wordings();
		const one = [{ cardId: board.cards[0]!, value: 1, value2: null }];
		const cast = (u: TestUser, session = id, now = Date.now()) =>
			castBallot(s.db, board.id, session, voter(u), one, w, now);
		expect(await cast(observer)).toEqual({ ok: false, error: 'not_eligible' });
		expect(await cast(outsider)).toEqual({ ok: false, error: 'not_eligible' });
		expect((await cast(people[0]!)).ok).toBe(true);
		// AC-02: the same session id through another board is not found.
		const other = await voteBoard(s.app, 1, [[people[0]!, 'participant']]);
		expect(await castBallot(s.db, other.id, id, voter(people[0]!), one, w, Date.now())).toEqual({
			ok: false,
			error: 'not_found'
		});
		await closeSession(s.db, board.id, id, actor(board.facilitator), Date.now());
		expect(await cast(people[1]!)).toEqual({ ok: false, error: 'closed' });

		// Only in the vote phase, which opening a vote moved the board to.
		expect((await getFacilitation(s.db, board.id)).phase).toBe('vote');
		const again = await open({ method: 'approval' });
		await updateFacilitation(s.app, board.id, (f) => ({ ...f, phase: 'decide' }));
		expect(await cast(people[1]!, again)).toEqual({ ok: false, error: 'not_vote_phase' });
		await updateFacilitation(s.app, board.id, (f) => ({ ...f, phase: 'vote' }));
		expect((await cast(people[1]!, again)).ok).toBe(true);

		const timed = await open({ method: 'approval' }, { deadline: Date.now() + 60_000 });
		expect((await cast(people[1]!, timed)).ok).toBe(true);
		expect(await cast(people[1]!, timed, Date.now() + 61_000)).toEqual({
			ok: false,
			error: 'closed'
		});
	});

	test('a ballot records the wording; an edit shows as stale until re-confirmed', async () => {
		const id = await open({ method: 'dots', budget: 3, cap: 2 });
		const card = board.cards[2]!;
		expect(
			(
				await adjustBallot(
					s.db,
					board.id,
					id,
					voter(people[2]!),
					card,
					1,
					await wordings(),
					Date.now()
				)
			).ok
		).toBe(true);
		const before = (await readOwnBallot(s.db, id, people[2]!.id))![0]!.wordingHash;
		await changeBoardDoc(
			s.app,
			board.id,
			(doc) => setCardText(doc, card, 'title', '書き換えた提言'),
			'test'
		);
		const now = (await wordings()).get(card)!;
		expect(now).not.toBe(before);
		expect(
			await confirmBallot(s.db, board.id, id, voter(people[2]!), await wordings(), Date.now())
		).toMatchObject({ ok: true });
		const after = (await readOwnBallot(s.db, id, people[2]!.id))![0]!;
		expect(after).toMatchObject({ cardId: card, value: 1, wordingHash: now });
		expect(
			await confirmBallot(s.db, board.id, id, voter(people[0]!), await wordings(), Date.now())
		).toEqual({
			ok: false,
			error: 'not_voted'
		});
	});
});

describe('reveal', () => {
	test('results only for a revealed session, which must be closed first', async () => {
		const id = await open({ method: 'ranking', topN: 2 });
		const w = await wordings();
		const [c0, c1, c2] = board.cards as [string, string, string];
		const rank = (u: TestUser, a: string, b: string) =>
			castBallot(
				s.db,
				board.id,
				id,
				voter(u),
				[
					{ cardId: a, value: 1, value2: null },
					{ cardId: b, value: 2, value2: null }
				],
				w,
				Date.now()
			);
		await rank(people[0]!, c0, c1);
		await rank(people[1]!, c1, c0);
		await rank(people[2]!, c1, c2);
		const session = (await getSession(s.db, board.id, id))!;
		const cards = await readBoardCards(s.app, board.id);
		await expect(loadResults(s.db, session, cards)).rejects.toThrow(/not revealed/u);
		expect(await revealSession(s.db, board.id, id, actor(board.facilitator), Date.now())).toEqual({
			ok: false,
			error: 'not_closed'
		});
		await closeSession(s.db, board.id, id, actor(board.facilitator), Date.now());
		expect((await revealSession(s.db, board.id, id, actor(board.facilitator), Date.now())).ok).toBe(
			true
		);
		const r = await loadResults(s.db, (await getSession(s.db, board.id, id))!, cards);
		expect(r.cards.slice(0, 3).map((c) => [c.cardId, c.total, c.rank])).toEqual([
			[c1, 5, 1],
			[c0, 3, 2],
			[c2, 1, 3]
		]);
		// Three sectors of one voter each: merged into one group of three, no breakdown to compare.
		expect(r.groups).toEqual([
			{ key: 'merged', sectors: ['industry', 'academia', 'government'], voters: 3 }
		]);
		expect(r.voters).toBeNull();
		// Three participants: the facilitator is not a voter unless the session says so.
		expect(r.eligible).toBe(3);

		const kinds = (await listAudit(s.db, board.id, 100)).map((a) => [a.kind, a.subject]);
		expect(kinds).toEqual(
			expect.arrayContaining([
				['vote_opened', `vote:${id}`],
				['vote_closed', `vote:${id}`],
				['vote_revealed', `vote:${id}`]
			])
		);
		// The audit log never carries a ballot.
		expect(JSON.stringify(await listAudit(s.db, board.id, 100))).not.toMatch(/"value"|entries/u);
	});
});

describe('deadlines', () => {
	test('a session closes at its deadline: recorded once, at the deadline, by no one', async () => {
		const deadline = Date.now() + 60_000;
		const id = await open({ method: 'approval' }, { deadline });
		const later = deadline + 5_000;
		// The facilitator's close comes after the deadline had already closed it.
		expect(await closeSession(s.db, board.id, id, actor(board.facilitator), later)).toEqual({
			ok: false,
			error: 'already'
		});
		expect((await revealSession(s.db, board.id, id, actor(board.facilitator), later)).ok).toBe(
			true
		);
		const session = await getSession(s.db, board.id, id);
		expect(session?.status).toBe('closed');
		expect(session?.closedAt).toBe(deadline);
		const entries = (await listAudit(s.db, board.id, 200)).filter(
			(a) => a.subject === `vote:${id}`
		);
		// Newest first: revealed, closed (by the deadline), opened.
		expect(entries.map((a) => [a.kind, a.actorId, a.at]).slice(0, 2)).toEqual([
			['vote_revealed', board.facilitator.id, later],
			['vote_closed', null, deadline]
		]);
		expect(entries.map((a) => a.kind)).toEqual(['vote_revealed', 'vote_closed', 'vote_opened']);
		expect(entries[1]?.detail).toMatchObject({ deadline: true, ballots: 0 });
	});
});

describe('membership changes', () => {
	test('someone removed, made an observer or made a non-voting facilitator has their open ballots withdrawn; closed results stay', async () => {
		const [a, b, c] = people as [TestUser, TestUser, TestUser];
		const own = await voteBoard(s.app, 2, [
			[a, 'participant'],
			[b, 'participant'],
			[c, 'participant']
		]);
		const start = async (facilitatorsVote = false) => {
			const r = await startVote(
				s.app,
				own.id,
				{
					title: '確認',
					settings: { method: 'approval' },
					cards: own.cards,
					anonymous: true,
					minGroup: 1,
					deadline: null,
					facilitatorsVote
				},
				actor(own.facilitator),
				Date.now()
			);
			if (!r.ok) throw new Error(r.error);
			return r.id;
		};
		const w = votableWordings(await readBoardCards(s.app, own.id), own.cards);
		const vote = (u: TestUser, session: number) =>
			castBallot(
				s.db,
				own.id,
				session,
				voter(u),
				[{ cardId: own.cards[0]!, value: 1, value2: null }],
				w,
				Date.now()
			);
		const closed = await start();
		for (const u of [a, b, c]) expect((await vote(u, closed)).ok).toBe(true);
		await closeSession(s.db, own.id, closed, actor(own.facilitator), Date.now());
		const open = await start();
		for (const u of [a, b, c]) expect((await vote(u, open)).ok).toBe(true);

		const removed = await changeMember(s.db, own.id, a.id, null, Date.now());
		expect(removed).toMatchObject({ ok: true, withdrawnFrom: [open] });
		const demoted = await changeMember(s.db, own.id, b.id, 'observer', Date.now());
		expect(demoted).toMatchObject({ ok: true, withdrawnFrom: [open] });
		expect(await countBallots(s.db, open)).toBe(1);
		expect(await countBallots(s.db, closed)).toBe(3);
		// Made a facilitator: withdrawn where facilitators do not vote, kept where they do.
		const withFacilitators = await start(true);
		expect((await vote(c, withFacilitators)).ok).toBe(true);
		expect(await changeMember(s.db, own.id, c.id, 'facilitator', Date.now())).toMatchObject({
			withdrawnFrom: [open]
		});
		expect(await countBallots(s.db, open)).toBe(0);
		expect(await countBallots(s.db, withFacilitators)).toBe(1);
	});
});

describe('live progress', () => {
	test('the board document gets counts only, coalesced over bursts', async () => {
		const id = await open({ method: 'approval' });
		const w = await wordings();
		await Promise.all(
			people.map((u) =>
				castBallot(
					s.db,
					board.id,
					id,
					voter(u),
					[{ cardId: board.cards[1]!, value: 1, value2: null }],
					w,
					Date.now()
				)
			)
		);
		await Promise.all(people.map(() => publishProgress(s.app, board.id, id)));
		const doc = await readBoardDoc(s.app, board.id);
		const progress = readVoteProgress(doc).find((p) => p.sessionId === id)!;
		expect(progress).toEqual({
			sessionId: id,
			title: '優先順位',
			method: 'approval',
			status: 'open',
			revealed: false,
			voted: 3,
			eligible: 3,
			deadline: null
		});
		// Nothing in the shared document names a card's votes or a voter's choice.
		const raw = JSON.stringify(doc.getMap('votes').toJSON());
		for (const card of board.cards) expect(raw).not.toContain(card);
		doc.destroy();
	});
});

describe('who votes, ballot order, preview', () => {
	test('AC-06 facilitators vote only in a session opened so; eligible counts follow', async () => {
		const w = await wordings();
		const entry = [{ cardId: board.cards[0]!, value: 1, value2: null }];
		const without = await open({ method: 'approval' });
		expect(
			await castBallot(s.db, board.id, without, voter(board.facilitator), entry, w, Date.now())
		).toEqual({ ok: false, error: 'not_eligible' });
		const session = (await getSession(s.db, board.id, without))!;
		expect(session.facilitatorsVote).toBe(false);
		expect(await countEligible(s.db, session)).toBe(3);
		const withFac = await open({ method: 'approval' }, { facilitatorsVote: true });
		expect(
			(await castBallot(s.db, board.id, withFac, voter(board.facilitator), entry, w, Date.now())).ok
		).toBe(true);
		expect(await countEligible(s.db, (await getSession(s.db, board.id, withFac))!)).toBe(4);
		const pending = await notVotedBy(s.db, board.id);
		expect(pending.find((p) => p.sessionId === without)!.members.map((m) => m.id)).not.toContain(
			board.facilitator.id
		);
		expect(pending.find((p) => p.sessionId === withFac)!.members.map((m) => m.id)).not.toContain(
			board.facilitator.id
		);
		expect(
			pending
				.find((p) => p.sessionId === withFac)!
				.members.map((m) => m.id)
				.sort()
		).toEqual(people.map((p) => p.id).sort());
	});

	test('a shuffled ballot order is stable per voter and differs between voters', () => {
		const ids = Array.from({ length: 12 }, (_, i) => `card${i}`);
		const one = ballotOrder(ids, 7, 1);
		expect(ballotOrder(ids, 7, 1)).toEqual(one);
		expect([...one].sort()).toEqual([...ids].sort());
		const others = [2, 3, 4, 5].map((u) => ballotOrder(ids, 7, u).join());
		expect(new Set([one.join(), ...others]).size).toBeGreaterThan(3);
		expect(ballotOrder(ids, 8, 1)).not.toEqual(one);
		// Over many voters every card leads sometimes: no card keeps the first place.
		const firsts = new Set(Array.from({ length: 200 }, (_, u) => ballotOrder(ids, 7, u)[0]));
		expect(firsts.size).toBe(ids.length);
	});

	test('a private preview loads only once closed; a card with no votes has no consensus figure', async () => {
		const id = await open({ method: 'approval' });
		const w = await wordings();
		for (const u of people)
			await castBallot(
				s.db,
				board.id,
				id,
				voter(u),
				[{ cardId: board.cards[0]!, value: 1, value2: null }],
				w,
				Date.now()
			);
		const cards = await readBoardCards(s.app, board.id);
		const openSession = (await getSession(s.db, board.id, id))!;
		await expect(loadResults(s.db, openSession, cards, { now: Date.now() })).rejects.toThrow(
			/not revealed/u
		);
		await closeSession(s.db, board.id, id, actor(board.facilitator), Date.now());
		const closed = (await getSession(s.db, board.id, id))!;
		await expect(loadResults(s.db, closed, cards)).rejects.toThrow(/not revealed/u);
		const preview = await loadResults(s.db, closed, cards, { now: Date.now() });
		expect(preview.revealedAt).toBeNull();
		const voted = preview.cards.find((c) => c.cardId === board.cards[0])!;
		const none = preview.cards.find((c) => c.cardId === board.cards[1])!;
		expect(voted.supporters).toBe(3);
		expect(none.supporters).toBe(0);
		expect(none.consensus).toBeNull();
		expect(none.division).toBeNull();
	});
});
