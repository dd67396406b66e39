import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { normalizeUsername } from '../../src/lib/domain/accounts/username';
import type { Sector } from '../../src/lib/domain/accounts/sectors';
import { registerUser } from '../../src/lib/server/auth/accounts';
import { castBallot, adjustBallot } from '../../src/lib/server/votes/ballots';
import { readBoardCards, votableWordings } from '../../src/lib/server/votes/cards';
import { closeSession } from '../../src/lib/server/votes/sessions';
import { startVote } from '../../src/lib/server/votes/start';
import { startTestServer, type TestServer } from '../helpers/collab';
import { tempDb, TEST_DIALECT, type TempDb } from '../helpers/db';
import { scopedTransaction } from '../../src/lib/server/db/write-scope';
import { voteBoard, voters } from '../helpers/votes';

/**
 * What must hold on both databases where they differ underneath (issue 14): SQLite serialises
 * writers with BEGIN IMMEDIATE, PostgreSQL with advisory transaction locks (db/locks.ts): one
 * exclusive lock by default, a shared one plus a per-(session, voter) key for ballots.
 * This file runs in both vitest projects.
 */
let t: TempDb | null = null;
afterEach(async () => {
	await t?.cleanup();
	t = null;
});

const reg = (username: string) => {
	const n = normalizeUsername(username);
	if (!n.ok) throw new Error(n.error);
	return {
		username: n.username,
		usernameKey: n.key,
		displayName: '同時 登録',
		password: 'a long and unusual passphrase',
		sector: 'academia' as const,
		organisation: '大学',
		locale: 'ja'
	};
};

describe(`races (${TEST_DIALECT})`, () => {
	test('AUTH-10 accounts registered at the same moment on an empty instance: exactly one administrator', async () => {
		t = await tempDb();
		const db = t.db;
		const results = await Promise.all(
			// Many at once: password hashing (before the transaction) ends in batches of the
			// thread pool's size, so several transactions start within a millisecond.
			Array.from({ length: 16 }, (_, i) => registerUser(db, reg(`racer${i}`), Date.now()))
		);
		expect(results.every((r) => r.ok)).toBe(true);
		const admins = await db.selectFrom('users').select('id').where('is_admin', '=', 1).execute();
		expect(admins).toHaveLength(1);
	});

	describe('ballots', () => {
		let s: TestServer;
		afterAll(async () => {
			await s?.close();
		});

		test('AC-07 50 parallel "one more dot" posts against a budget of 3 store exactly 3', async () => {
			s = await startTestServer();
			const [v] = await voters(s.app, ['industry']);
			const board = await voteBoard(s.app, 4, [[v!, 'participant']]);
			const r = await startVote(
				s.app,
				board.id,
				{
					title: '競争',
					settings: { method: 'dots', budget: 3, cap: 3 },
					cards: board.cards,
					anonymous: true,
					minGroup: 3,
					deadline: null
				},
				{ id: board.facilitator.id, name: board.facilitator.displayName },
				Date.now()
			);
			if (!r.ok) throw new Error(r.error);
			const w = votableWordings(await readBoardCards(s.app, board.id), board.cards);
			const results = await Promise.all(
				Array.from({ length: 50 }, (_, i) =>
					adjustBallot(
						s.db,
						board.id,
						r.id,
						{ id: v!.id, sector: v!.sector },
						board.cards[i % 3]!,
						1,
						w,
						Date.now()
					)
				)
			);
			expect(results.filter((x) => x.ok)).toHaveLength(3);
			const stored = await s.db
				.selectFrom('ballot_entries as e')
				.innerJoin('ballots as b', 'b.id', 'e.ballot_id')
				.select((eb) => eb.fn.sum<number>('e.value').as('dots'))
				.where('b.session_id', '=', r.id)
				.executeTakeFirstOrThrow();
			expect(Number(stored.dots)).toBe(3);
		});

		test('AC-06 a close racing ballots: every ballot counted at the close is stored, none accepted after it', async () => {
			const sectors: Sector[] = [
				'industry',
				'academia',
				'government',
				'civil_society',
				'media',
				'other'
			];
			const people = await voters(s.app, [...sectors, ...sectors]);
			const board = await voteBoard(
				s.app,
				3,
				people.map((p) => [p, 'participant'])
			);
			const facilitator = { id: board.facilitator.id, name: board.facilitator.displayName };
			const r = await startVote(
				s.app,
				board.id,
				{
					title: '締切競争',
					settings: { method: 'approval' },
					cards: board.cards,
					anonymous: true,
					minGroup: 3,
					deadline: null
				},
				facilitator,
				Date.now()
			);
			if (!r.ok) throw new Error(r.error);
			const w = votableWordings(await readBoardCards(s.app, board.id), board.cards);
			const one = [{ cardId: board.cards[0]!, value: 1, value2: null }];
			const cast = (p: (typeof people)[number]) =>
				castBallot(s.db, board.id, r.id, { id: p.id, sector: p.sector }, one, w, Date.now());
			// Half the voters start before the close, half after it was sent.
			const early = people.slice(0, 6).map(cast);
			const close = closeSession(s.db, board.id, r.id, facilitator, Date.now());
			const late = people.slice(6).map(cast);
			const results = await Promise.all([...early, ...late]);
			expect((await close).ok).toBe(true);
			const accepted = results.filter((x) => x.ok).length;
			const rows = await s.db
				.selectFrom('ballots')
				.select('id')
				.where('session_id', '=', r.id)
				.execute();
			const audit = await s.db
				.selectFrom('board_audit')
				.select('detail')
				.where('kind', '=', 'vote_closed')
				.where('subject', '=', `vote:${r.id}`)
				.executeTakeFirstOrThrow();
			// The close counted the ballots in the same transaction that closed the session.
			expect((JSON.parse(audit.detail) as { ballots: number }).ballots).toBe(rows.length);
			expect(rows).toHaveLength(accepted);
			for (const x of results) if (!x.ok) expect(x.error).toBe('closed');
			expect(await cast(people[0]!)).toEqual({ ok: false, error: 'closed' });
		});
	});
});

describe.skipIf(TEST_DIALECT !== 'postgres')('write locks on PostgreSQL (db/locks.ts)', () => {
	/** A transaction that stays open (holding its locks) until `release` is called. */
	function held(begin: (body: (trx: unknown) => Promise<void>) => Promise<void>) {
		let release!: () => void;
		const gate = new Promise<void>((r) => (release = r));
		let begun!: () => void;
		const started = new Promise<void>((r) => (begun = r));
		const done = begin(async () => {
			begun();
			await gate;
		});
		return { started, done, release };
	}
	/** Whether `p` settles within `ms`. */
	const settlesWithin = (p: Promise<unknown>, ms: number) =>
		Promise.race([p.then(() => true), new Promise((r) => setTimeout(() => r(false), ms))]);

	test('AC-07 ballots of two voters overlap; a second ballot of one voter and an unscoped transaction wait', async () => {
		t = await tempDb();
		const db = t.db;
		const ballot = (userId: number) => (body: (trx: unknown) => Promise<void>) =>
			scopedTransaction(db, { kind: 'ballot', sessionId: 1, userId }, body);
		const unscoped = (body: (trx: unknown) => Promise<void>) => db.transaction().execute(body);

		const first = held(ballot(1));
		await first.started;
		// Another voter's ballot begins and commits while the first is still open.
		const other = held(ballot(2));
		await other.started;
		other.release();
		expect(await settlesWithin(other.done, 2000)).toBe(true);
		// The same voter's next ballot, and an unscoped transaction, wait for the first.
		const same = held(ballot(1));
		const alone = held(unscoped);
		expect(await settlesWithin(same.started, 300)).toBe(false);
		expect(await settlesWithin(alone.started, 300)).toBe(false);
		first.release();
		await first.done;
		await same.started;
		same.release();
		await same.done;
		await alone.started;
		// While the unscoped one runs, no ballot begins.
		const during = held(ballot(3));
		expect(await settlesWithin(during.started, 300)).toBe(false);
		alone.release();
		await alone.done;
		await during.started;
		during.release();
		await during.done;
	});
});

/** The tables of schema.ts's Database interface, each with its columns, read from the source. */
function declaredSchema(): Map<string, string[]> {
	const path = 'src/lib/server/db/schema.ts';
	const file = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest);
	const interfaces = new Map<string, ts.InterfaceDeclaration>();
	file.forEachChild((n) => {
		if (ts.isInterfaceDeclaration(n)) interfaces.set(n.name.text, n);
	});
	const names = (i: ts.InterfaceDeclaration) =>
		i.members.filter(ts.isPropertySignature).map((m) => (m.name as ts.Identifier).text);
	const tables = new Map<string, string[]>();
	for (const m of interfaces.get('Database')!.members.filter(ts.isPropertySignature)) {
		const ref = (m.type as ts.TypeReferenceNode).typeName as ts.Identifier;
		tables.set((m.name as ts.Identifier).text, names(interfaces.get(ref.text)!).sort());
	}
	return tables;
}

describe(`schema (${TEST_DIALECT})`, () => {
	test('after migrating, the tables and columns are exactly those of schema.ts', async () => {
		t = await tempDb();
		const actual = new Map<string, string[]>();
		for (const table of await t.db.introspection.getTables()) {
			// Kysely's own bookkeeping, and the FTS5 table's shadow tables on SQLite.
			if (table.name.startsWith('kysely_') || table.name.startsWith('items_fts_')) continue;
			actual.set(table.name, table.columns.map((c) => c.name).sort());
		}
		const declared = declaredSchema();
		expect([...actual.keys()].sort()).toEqual([...declared.keys()].sort());
		for (const [table, columns] of declared)
			expect([table, actual.get(table)]).toEqual([table, columns]);
	});

	test.skipIf(TEST_DIALECT !== 'postgres')(
		'PostgreSQL: no 4-byte integer column (times and CRC-32 values overflow it), blobs are bytea',
		async () => {
			t = await tempDb();
			const cols = await t.db.introspection.getTables();
			const narrow = cols.flatMap((tb) =>
				tb.columns
					.filter((c) => c.dataType === 'int4' && !tb.name.startsWith('kysely_'))
					.map((c) => `${tb.name}.${c.name}`)
			);
			expect(narrow).toEqual([]);
			const data = cols
				.find((tb) => tb.name === 'collab_updates')!
				.columns.find((c) => c.name === 'data');
			expect(data?.dataType).toBe('bytea');
		}
	);
});
