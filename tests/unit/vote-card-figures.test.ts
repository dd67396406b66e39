import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { VoteSettings } from '../../src/lib/domain/votes/methods';
import { castBallot } from '../../src/lib/server/votes/ballots';
import { revealedVoteFigures } from '../../src/lib/server/votes/card-figures';
import { readBoardCards, votableWordings } from '../../src/lib/server/votes/cards';
import { loadResults } from '../../src/lib/server/votes/results';
import { closeSession, getSession, revealSession } from '../../src/lib/server/votes/sessions';
import { startVote } from '../../src/lib/server/votes/start';
import { startTestServer, type TestServer } from '../helpers/collab';
import { voteBoard, voters, type VoteBoard } from '../helpers/votes';
import type { TestUser } from '../helpers/users';

let s: TestServer;
let board: VoteBoard;
let people: TestUser[];

const actor = () => ({ id: board.facilitator.id, name: board.facilitator.displayName });

async function open(title: string, settings: VoteSettings) {
	const r = await startVote(
		s.app,
		board.id,
		{ title, settings, cards: board.cards, anonymous: true, minGroup: 3, deadline: null },
		actor(),
		Date.now()
	);
	if (!r.ok) throw new Error(r.error);
	return r.id;
}

async function cast(id: number, u: TestUser, entries: [number, number, number | null][]) {
	const w = votableWordings(await readBoardCards(s.app, board.id), board.cards);
	const r = await castBallot(
		s.db,
		board.id,
		id,
		{ id: u.id, sector: u.sector },
		entries.map(([card, value, value2]) => ({ cardId: board.cards[card]!, value, value2 })),
		w,
		Date.now()
	);
	if (!r.ok) throw new Error(r.error);
}

beforeAll(async () => {
	s = await startTestServer();
	people = await voters(s.app, ['industry', 'academia', 'government']);
	board = await voteBoard(
		s.app,
		4,
		people.map((p) => [p, 'participant'] as [TestUser, 'participant'])
	);
});
afterAll(() => s.close());

describe('revealedVoteFigures', () => {
	test('nothing while a session is open or closed but unrevealed, for anyone; figures once revealed', async () => {
		expect(await revealedVoteFigures(s.app, board.id)).toEqual({ revealed: [], latest: null });

		const dots = await open('ドット投票', { method: 'dots', budget: 3, cap: 2 });
		await cast(dots, people[0]!, [
			[0, 2, null],
			[1, 1, null]
		]);
		await cast(dots, people[1]!, [[1, 2, null]]);
		await cast(dots, people[2]!, [[2, 1, null]]);
		// Open: ballots exist, but no figure of any kind.
		expect(await revealedVoteFigures(s.app, board.id)).toEqual({ revealed: [], latest: null });
		await closeSession(s.db, board.id, dots, actor(), Date.now());
		// Closed, not yet revealed: still nothing.
		expect(await revealedVoteFigures(s.app, board.id)).toEqual({ revealed: [], latest: null });

		await revealSession(s.db, board.id, dots, actor(), Date.now());
		const r = await revealedVoteFigures(s.app, board.id);
		expect(r.revealed).toEqual([dots]);
		const [c0, c1, c2, c3] = board.cards as [string, string, string, string];
		expect(r.latest).toEqual({
			sessionId: dots,
			title: 'ドット投票',
			method: 'dots',
			totals: { [c0]: 2, [c1]: 3, [c2]: 1, [c3]: 0 }
		});
		// The same figures the published results rank by.
		const published = await loadResults(
			s.db,
			(await getSession(s.db, board.id, dots))!,
			await readBoardCards(s.app, board.id)
		);
		expect(Object.fromEntries(published.cards.map((c) => [c.cardId, c.total]))).toEqual(
			r.latest!.totals
		);
	});

	test('a newer session shows only once it is revealed; score shows its mean', async () => {
		const before = await revealedVoteFigures(s.app, board.id);
		const score = await open('スコア', { method: 'score' });
		await cast(score, people[0]!, [[3, 5, 4]]);
		await cast(score, people[1]!, [[3, 2, 2]]);
		await closeSession(s.db, board.id, score, actor(), Date.now());
		// Closed but unrevealed: the earlier revealed session's figures stay.
		expect(await revealedVoteFigures(s.app, board.id)).toEqual(before);

		await revealSession(s.db, board.id, score, actor(), Date.now() + 1);
		const r = await revealedVoteFigures(s.app, board.id);
		expect(r.revealed).toEqual([score, before.latest!.sessionId]);
		expect(r.latest?.sessionId).toBe(score);
		expect(r.latest?.method).toBe('score');
		// (5 + 4 + 2 + 2) / 4 = 3.25; cards nobody rated are 0.
		expect(r.latest?.totals[board.cards[3]!]).toBe(3.25);
		expect(r.latest?.totals[board.cards[0]!]).toBe(0);
	});
});
