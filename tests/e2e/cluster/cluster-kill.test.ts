import { expect, test } from '@playwright/test';
import pg from 'pg';
import type * as Y from 'yjs';
import { DEFAULT_LIMITS } from '../../../src/lib/server/collab/limits';
import { pgDb, type PgHandle } from '../../../src/lib/server/db/postgres';
import { CLUSTER, readState, startProcess, stopPid } from './harness';
import {
	board,
	boardLog,
	committedDoc,
	crew,
	entries,
	ownerBackend,
	ownerPort,
	percentile,
	sleep,
	Writer,
	type Crew
} from './writers';

/**
 * Issue 15's kill tests, through nginx (round robin) in front of three processes: four writers
 * typing at 10 Hz each on one board, their sockets spread over the processes (most relayed to
 * the owner), while the cluster loses a process or the owner its database session. Each
 * scenario runs five rounds on a new board; after each, the cluster has three processes again.
 *
 * Every round checks:
 * - no acknowledged edit lost: when the writers' sockets are cut, they are held from
 *   reconnecting until the board's committed state has been read from PostgreSQL, so an edit
 *   acknowledged but never committed cannot be hidden by its writer sending it again; every
 *   edit a saved report covered must be in that committed state;
 * - every writer converges on the committed document, every edit included;
 * - the time from the fault until each affected writer has an edit made after it acknowledged
 *   ("served again"; a held writer is let go when its own reconnect backoff, 200 ms after a
 *   first close, would have retried, or at once if the check took longer). For a kill or a
 *   terminated session the p95 over the rounds must be ≤ 3 s.
 */
const ROUNDS = 5;
const WRITERS = 4;
const FAILOVER_P95_MS = 3_000;
const STOP_MS = 20_000;

let handle: PgHandle;
let people: Crew;

test.beforeAll(async () => {
	handle = pgDb(readState().databaseUrl);
	people = await crew(handle.db, WRITERS);
});

test.afterAll(async () => {
	await handle?.db.destroy();
});

interface Round {
	boardId: string;
	writers: Writer[];
	owner: number;
	/** The process each writer's socket entered by (the owner, or one relaying it there). */
	via: number[];
}

/** A new board, four writers connected one after another through nginx, typing. */
async function startRound(title: string): Promise<Round> {
	const boardId = await board(handle.db, people, title);
	const writers: Writer[] = [];
	// One at a time, so round robin deals their sockets out over the processes.
	for (let i = 0; i < WRITERS; i++) {
		const w = new Writer(i, people.userIds[i]!, people.tokens[i]!, boardId);
		writers.push(w);
		await w.synced();
	}
	const owner = await ownerPort(boardId);
	expect(owner, 'the board has an owner among the three').not.toBeNull();
	for (const w of writers) w.type(100);
	let via: number[] | null = null;
	await expect
		.poll(() => (via = entries(boardId, owner!, writers)), { timeout: 5_000 })
		.not.toBeNull();
	// Spread: the sockets entered by at least two processes, and some were relayed.
	expect(new Set(via!).size, `sockets entered by ${via!.join(', ')}`).toBeGreaterThanOrEqual(2);
	expect(via!.some((p) => p !== owner)).toBe(true);
	await sleep(1_500);
	expect(
		writers.every((w) => w.acked().length > 0),
		'every writer had edits acknowledged before the fault'
	).toBe(true);
	return { boardId, writers, owner: owner!, via: via! };
}

/** Every edit any saved report covered is in the board's committed state. */
async function ackedAreCommitted(r: Round): Promise<{ acked: number; edits: number }> {
	const doc = await committedDoc(handle.db, r.boardId);
	try {
		const have = doc.getMap('ops');
		const acked = r.writers.flatMap((w) => w.acked());
		expect(
			acked.filter((o) => !have.has(o.key)).map((o) => o.key),
			'acknowledged edits missing from the committed board'
		).toEqual([]);
		return { acked: acked.length, edits: r.writers.reduce((n, w) => n + w.ops.length, 0) };
	} finally {
		doc.destroy();
	}
}

/** Holds `affected` from reconnecting until their sockets are gone, checks, lets them go. */
async function heldCheck(r: Round, affected: Writer[], timeout = 5_000) {
	await expect
		.poll(
			() => affected.filter((w) => w.connected).map((w) => `writer ${w.index} (user ${w.userId})`),
			{
				timeout,
				intervals: [10]
			}
		)
		.toEqual([]);
	const counts = await ackedAreCommitted(r);
	for (const w of r.writers) w.release();
	return counts;
}

/** Milliseconds from `t` until every one of `affected` had an edit made after `t` acknowledged. */
async function servedAgain(affected: Writer[], t: number, timeout = 15_000): Promise<number[]> {
	await expect
		.poll(() => affected.every((w) => w.servedAfter(t) !== null), { timeout, intervals: [20] })
		.toBe(true);
	return affected.map((w) => w.servedAfter(t)! - t);
}

/**
 * The round's end: typing stops, every edit gets acknowledged, and every writer holds exactly
 * the committed document.
 */
async function converge(r: Round): Promise<void> {
	// The only refusals expected: an edit typed just after a reconnect reaches the new owner
	// before the writer's catch-up (SyncStep2), leaves a gap and is refused as `unknown`; the
	// catch-up then carries it (the board page's client resyncs on the refusal itself).
	expect(r.writers.flatMap((w) => w.refusals).filter((rule) => rule !== 'unknown')).toEqual([]);
	await sleep(500);
	await Promise.all(r.writers.map((w) => w.stop()));
	await expect
		.poll(() => r.writers.flatMap((w) => w.ops).filter((o) => o.ackedAt === null).length, {
			timeout: 15_000
		})
		.toBe(0);
	const doc = await committedDoc(handle.db, r.boardId);
	try {
		const committed = doc.getMap('ops');
		const all = r.writers.flatMap((w) => w.ops.map((o) => o.key));
		expect(all.filter((k) => !committed.has(k))).toEqual([]);
		const want = canonical(doc);
		for (const w of r.writers)
			await expect.poll(() => canonical(w.doc), { timeout: 10_000 }).toBe(want);
	} finally {
		doc.destroy();
	}
}

/** The `ops` map's entries in key order (clients hold them in the order they learnt them). */
function canonical(doc: Y.Doc): string {
	return JSON.stringify(
		Object.entries(doc.getMap('ops').toJSON()).sort(([a], [b]) => (a < b ? -1 : 1))
	);
}

function report(what: string, ms: number[]): string {
	const text = `p50 ${percentile(ms, 50)} ms, p95 ${percentile(ms, 95)} ms, max ${Math.max(...ms)} ms (rounds: ${ms.join(', ')})`;
	console.info(`${what}: ${text}`);
	test.info().annotations.push({ type: what, description: text });
	return text;
}

/** Back to three processes: the one on `port` is started again (after making sure it is gone). */
async function restore(port: number): Promise<void> {
	await stopPid(readState().pids[String(port)]!, 'SIGKILL');
	await startProcess(port, readState());
}

test('kill -9 of the board owner, five times: no acknowledged edit lost, a new owner within 3 s (p95)', async () => {
	test.setTimeout(240_000);
	const failovers: number[] = [];
	for (let n = 1; n <= ROUNDS; n++) {
		const r = await startRound(`kill owner ${n}`);
		try {
			for (const w of r.writers) w.hold();
			const t = Date.now();
			process.kill(readState().pids[String(r.owner)]!, 'SIGKILL');
			// Every socket was served by the owner, relayed or not.
			const counts = await heldCheck(r, r.writers);
			const served = await servedAgain(r.writers, t);
			const newOwner = await ownerPort(r.boardId);
			expect(newOwner).not.toBeNull();
			expect(newOwner).not.toBe(r.owner);
			await converge(r);
			failovers.push(Math.max(...served));
			console.info(
				`round ${n}: owner ${r.owner} killed (sockets via ${r.via.join(', ')}), new owner ${newOwner}; ` +
					`served again per writer ${served.join(', ')} ms; ${counts.acked}/${counts.edits} acknowledged at the kill`
			);
		} finally {
			for (const w of r.writers) w.destroy();
			await restore(r.owner);
		}
	}
	report('kill -9 owner → every writer served again', failovers);
	expect(percentile(failovers, 95)).toBeLessThanOrEqual(FAILOVER_P95_MS);
});

test('kill -9 of a relaying process, five times: its writers reconnect through another, nothing acknowledged lost', async () => {
	test.setTimeout(240_000);
	const failovers: number[] = [];
	for (let n = 1; n <= ROUNDS; n++) {
		const r = await startRound(`kill relay ${n}`);
		// The non-owner relaying the most of the writers' sockets.
		const relays = CLUSTER.processPorts.filter((p) => p !== r.owner && r.via.includes(p));
		const victim = relays.sort(
			(a, b) => r.via.filter((p) => p === b).length - r.via.filter((p) => p === a).length
		)[0]!;
		const affected = r.writers.filter((_, i) => r.via[i] === victim);
		const others = r.writers.filter((_, i) => r.via[i] !== victim);
		try {
			for (const w of r.writers) w.hold();
			const t = Date.now();
			process.kill(readState().pids[String(victim)]!, 'SIGKILL');
			const counts = await heldCheck(r, affected);
			const served = await servedAgain(affected, t);
			// The others never noticed: their sockets stayed open.
			expect(others.every((w) => w.sockets === 1)).toBe(true);
			expect(affected.every((w) => w.sockets >= 2)).toBe(true);
			// The owner did not change.
			expect(await ownerPort(r.boardId)).toBe(r.owner);
			await converge(r);
			failovers.push(Math.max(...served));
			console.info(
				`round ${n}: relay ${victim} killed (owner ${r.owner}, sockets via ${r.via.join(', ')}); ` +
					`its ${affected.length} writer(s) served again after ${served.join(', ')} ms; ${counts.acked}/${counts.edits} acknowledged at the kill`
			);
		} finally {
			for (const w of r.writers) w.destroy();
			await restore(victim);
		}
	}
	report('kill -9 relay → its writers served again', failovers);
	expect(percentile(failovers, 95)).toBeLessThanOrEqual(FAILOVER_P95_MS);
});

test("terminating the owner's database backend, five times: it stops acknowledging, the board is taken again within 3 s (p95)", async () => {
	test.setTimeout(180_000);
	const failovers: number[] = [];
	const admin = new pg.Client({ connectionString: readState().databaseUrl });
	await admin.connect();
	try {
		for (let n = 1; n <= ROUNDS; n++) {
			const r = await startRound(`terminate backend ${n}`);
			try {
				const backend = await ownerBackend(r.boardId);
				expect(backend).not.toBeNull();
				for (const w of r.writers) w.hold();
				const t = Date.now();
				const { rows } = await admin.query<{ ok: boolean }>(
					'select pg_terminate_backend($1) as ok',
					[backend]
				);
				expect(rows[0]?.ok).toBe(true);
				// The owner learns it lost the board's lock and closes its sockets.
				const counts = await heldCheck(r, r.writers);
				const served = await servedAgain(r.writers, t);
				const newOwner = await ownerPort(r.boardId);
				expect(newOwner).not.toBeNull();
				expect(await ownerBackend(r.boardId)).not.toBe(backend);
				await converge(r);
				failovers.push(Math.max(...served));
				console.info(
					`round ${n}: backend ${backend} of owner ${r.owner} terminated (sockets via ${r.via.join(', ')}), ` +
						`owner now ${newOwner}; served again per writer ${served.join(', ')} ms; ${counts.acked}/${counts.edits} acknowledged`
				);
			} finally {
				for (const w of r.writers) w.destroy();
			}
		}
	} finally {
		await admin.end();
	}
	report('owner backend terminated → every writer served again', failovers);
	expect(percentile(failovers, 95)).toBeLessThanOrEqual(FAILOVER_P95_MS);
});

test('SIGSTOP of the owner for 20 s, five times: the board is taken over, the resumed owner acknowledges nothing uncommitted', async () => {
	// 20 s stopped plus set-up and recovery, five times.
	test.setTimeout(330_000);
	const hung = DEFAULT_LIMITS.hungOwnerMs;
	const freed: number[] = [];
	const elsewhere: number[] = [];
	const everyone: number[] = [];
	let resumedAcks = 0;
	for (let n = 1; n <= ROUNDS; n++) {
		const r = await startRound(`stop owner ${n}`);
		const pid = readState().pids[String(r.owner)]!;
		let stopped = false;
		try {
			const backend = await ownerBackend(r.boardId);
			// Writers whose socket the owner holds itself only learn anything from it once it
			// resumes: they are held then, so the check below sees what it committed, not what
			// they would send again.
			const direct = r.writers.filter((_, i) => r.via[i] === r.owner);
			const before = r.writers.map((w) => w.sockets);
			const t = Date.now();
			process.kill(pid, 'SIGSTOP');
			stopped = true;
			// The hung-owner detection: a peer sees its beats stop and ends its database session.
			await expect
				.poll(async () => (await ownerBackend(r.boardId)) !== backend, {
					timeout: STOP_MS - 1_000,
					intervals: [100]
				})
				.toBe(true);
			freed.push(Date.now() - t);
			await sleep(t + STOP_MS - Date.now());
			for (const w of direct) w.hold();
			const resumed = Date.now();
			process.kill(pid, 'SIGCONT');
			stopped = false;
			const counts = await heldCheck(r, direct, 10_000).catch((e: unknown) => {
				// Seen once in 34 rounds, under load (a writer still connected 10 s after SIGCONT):
				// say what the resumed owner did with the board.
				const log = boardLog(r.owner, r.boardId, resumed);
				throw new Error(`${String(e)}\nthe resumed owner ${r.owner} logged:\n${log}`);
			});
			const served = await servedAgain(r.writers, t, 20_000);
			// Acknowledgements the owner sent once resumed, on the sockets it had before it stopped.
			const late = r.writers.flatMap((w, i) =>
				w.acks.filter((a) => a.at >= resumed && a.socket <= before[i]!)
			);
			resumedAcks += late.length;
			await converge(r);
			// Relays cut the sockets they held to it once its session was gone; those writers
			// reconnected and another process took the board while it was still stopped.
			const first = Math.min(...served);
			expect(first, 'a writer served by another process before SIGCONT').toBeLessThan(STOP_MS);
			elsewhere.push(first);
			everyone.push(Math.max(...served));
			console.info(
				`round ${n}: owner ${r.owner} stopped (sockets via ${r.via.join(', ')}); lock freed after ${freed.at(-1)} ms; ` +
					`served again per writer ${served.join(', ')} ms; ${late.length} acknowledgement(s) from the resumed owner, ` +
					`${counts.acked}/${counts.edits} acknowledged, all committed`
			);
		} finally {
			if (stopped) process.kill(pid, 'SIGCONT');
			for (const w of r.writers) w.destroy();
		}
	}
	report(`SIGSTOP owner → its lock freed (hungOwnerMs ${hung})`, freed);
	report('SIGSTOP owner → first writer served by another process', elsewhere);
	report('SIGSTOP owner → every writer served again', everyone);
	test.info().annotations.push({
		type: 'acknowledgements from resumed owners',
		description: `${resumedAcks} (each covering only committed edits)`
	});
	// Detected within the hung-owner timeout plus two beats (the detector's period) and margin.
	expect(Math.max(...freed)).toBeLessThanOrEqual(hung + 2 * DEFAULT_LIMITS.ownerBeatMs + 2_000);
});
