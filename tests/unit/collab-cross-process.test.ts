import { afterEach, describe, expect, test } from 'vitest';
import pg from 'pg';
import { signOut } from '../../src/lib/server/auth/session-end';
import { changeBoardMember } from '../../src/lib/server/boards/member-changes';
import { announceFacilitationChanged } from '../../src/lib/server/events/announce';
import {
	openRaw,
	scratchUpdate,
	sleep,
	startTestServer,
	syncFrame,
	waitFor,
	type TestServer
} from '../helpers/collab';
import { TEST_DIALECT } from '../helpers/db';

/**
 * Issue 15, layer 2: what one process does reaches the sockets another process holds, through
 * PostgreSQL's LISTEN/NOTIFY (events/announce.ts, events/listener.ts). Two servers on one
 * database, each with its own pool, board-log connection and listener, as two processes have.
 */
describe.skipIf(TEST_DIALECT !== 'postgres')('events between processes (PostgreSQL)', () => {
	let servers: TestServer[] = [];
	afterEach(async () => {
		// The peer first: the first server's close drops the database.
		for (const s of servers.reverse()) await s.close();
		servers = [];
	});

	async function pair(limits = {}): Promise<[TestServer, TestServer]> {
		const a = await startTestServer(limits);
		servers.push(a);
		const b = await startTestServer(limits, { peerOf: a });
		servers.push(b);
		return [a, b];
	}

	test('WS-12 signing out on process A closes the session’s socket on process B within 1 s', async () => {
		const [a, b] = await pair();
		const m = await a.member();
		const board = await a.board([[m, 'participant']]);
		const raw = await openRaw(b, m, board);
		const started = performance.now();
		await signOut(a.app, { sessionId: m.sessionId, userId: m.user.id, ip: '127.0.0.1' });
		expect(await raw.closed).toBe(4401);
		expect(performance.now() - started).toBeLessThan(1000);
		// The sign-out was recorded once, by the process that did it.
		const rows = await a.db
			.selectFrom('auth_events')
			.select('kind')
			.where('user_id', '=', m.user.id)
			.execute();
		expect(rows).toEqual([{ kind: 'logout' }]);
	});

	test('AC-04 removing a member on A closes their socket on B; a demotion makes it read-only', async () => {
		const [a, b] = await pair();
		const fac = await a.member();
		const gone = await a.member();
		const demoted = await a.member();
		const board = await a.board([
			[fac, 'facilitator'],
			[gone, 'participant'],
			[demoted, 'participant']
		]);
		const rGone = await openRaw(b, gone, board);
		const rDemoted = await openRaw(b, demoted, board);
		const actor = { id: fac.user.id, name: fac.user.displayName };
		expect((await changeBoardMember(a.app, board, actor, gone.user.id, null)).ok).toBe(true);
		expect(await rGone.closed).toBe(4403);
		expect((await changeBoardMember(a.app, board, actor, demoted.user.id, 'observer')).ok).toBe(
			true
		);
		await waitFor(
			() => [...b.collab.connections.all].some((c) => c.role === 'observer'),
			1000,
			'the demotion on B'
		);
		rDemoted.ws.send(
			syncFrame(
				2,
				scratchUpdate((d) => d.getMap('m').set('x', 1))
			)
		);
		await waitFor(() => b.collab.stats.droppedReadOnly === 1, 2000, 'the update dropped');
		rDemoted.ws.close();
	});

	test('a board locked on A refuses the next update of a participant on B', async () => {
		const [a, b] = await pair();
		const m = await a.member();
		const board = await a.board([[m, 'participant']]);
		const raw = await openRaw(b, m, board);
		await announceFacilitationChanged(a.app, { boardId: board, phase: 'write', locked: true });
		await sleep(300);
		raw.ws.send(
			syncFrame(
				2,
				scratchUpdate((d) => d.getMap('m').set('x', 1))
			)
		);
		await waitFor(() => b.collab.stats.refusedByRule.locked === 1, 2000, 'the refusal on B');
		raw.ws.close();
	});

	test('a process whose listener lost its connection re-checks every socket once it is back', async () => {
		// The periodic re-check is far away: only the resync after the reconnect can close it.
		const [a, b] = await pair({ recheckMs: 600_000 });
		const m = await a.member();
		const board = await a.board([[m, 'participant']]);
		const raw = await openRaw(b, m, board);
		const admin = new pg.Client({ connectionString: a.dbPath });
		await admin.connect();
		try {
			// B's listener is cut off; meanwhile A ends the session, and B cannot hear of it.
			const listeners = await admin.query<{ pid: number }>(
				"select pid from pg_stat_activity where datname = current_database() and query like 'listen %'"
			);
			expect(listeners.rows.length).toBe(2);
			await admin.query(
				'select pg_terminate_backend(pid) from pg_stat_activity where pid = any($1)',
				[listeners.rows.map((r) => r.pid)]
			);
			await a.db.deleteFrom('sessions').where('id', '=', m.sessionId).execute();
			expect(await raw.closed).toBe(4401);
		} finally {
			await admin.end();
		}
	});
});
