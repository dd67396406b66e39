/**
 * What the board benchmarks share: the built server (`npm run build`, once per run) started on a
 * temporary database, with one signed-in facilitator and boards of N cards made through the
 * app's own creation code (seedCardsFor + createBoard), as /boards/new makes them.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addCard, readBoard, type Author, type SeedCard } from '../../../src/lib/domain/board/doc';
import { LIMITS } from '../../../src/lib/domain/board/limits';
import { createSession } from '../../../src/lib/server/auth/sessions';
import { createBoard } from '../../../src/lib/server/boards/create';
import { seedCardsFor } from '../../../src/lib/server/boards/seed-cards';
import { closeApp, openApp, type App } from '../../../src/lib/server/app';
import { changeBoardDoc, closeCollab } from '../../../src/lib/server/collab';
import { readConfig } from '../../../src/lib/server/config';
import type { Db } from '../../../src/lib/server/db/connect';
import { seedLibraryFromDir } from '../../../src/lib/server/reports/seed';
import { seedReportsDir } from '../../../seeds/paths';
import { createUser } from '../../helpers/users';

let built = false;

/** Builds once per `npm run bench` (set BENCH_NO_BUILD=1 to reuse build-server/ as it is). */
export function ensureBuilt(): void {
	if (built || process.env.BENCH_NO_BUILD === '1') return;
	console.info('  building (npm run build)…');
	const r = spawnSync('npm', ['run', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
	if (r.status !== 0) throw new Error('npm run build failed');
	built = true;
}

export interface Served {
	url: string;
	/** The origin browsers use (ORIGIN): the server's own URL unless it sits behind a proxy. */
	origin: string;
	/** The session cookie, name=value. */
	cookie: string;
	/** Board id per card count asked for. */
	boards: Map<number, string>;
	pid: number;
	stop: () => Promise<void>;
}

/** N seed cards (at most one board's seed limit) in library reading order, across reports. */
async function cardsFor(db: Db, n: number, skip = 0): Promise<SeedCard[]> {
	const ids = (
		await db
			.selectFrom('items as i')
			.innerJoin('reports as r', 'r.slug', 'i.report_slug')
			.select('i.id')
			.where('i.retired_at', 'is', null)
			.orderBy('r.date')
			.orderBy('i.position')
			.offset(skip)
			.limit(n)
			.execute()
	).map((r) => r.id);
	if (ids.length < n) throw new Error(`the library has only ${skip + ids.length} items`);
	return (await seedCardsFor(db, { type: 'selection', ids })).cards;
}

/**
 * A board of n cards: seeded as /boards/new seeds one (up to LIMITS.seedItems), the rest added
 * as participants add cards (addCard through the realtime server's change path).
 */
async function makeBoard(app: App, author: Author, n: number): Promise<string> {
	const seeded = Math.min(n, LIMITS.seedItems);
	const id = await createBoard(app.db, {
		title: `${n} 枚のボード`,
		purpose: '',
		workshopDate: null,
		template: { type: 'selection', ids: [] },
		cards: await cardsFor(app.db, seeded),
		author,
		now: Date.now()
	});
	if (n > seeded) {
		const more = await cardsFor(app.db, n - seeded, seeded);
		await changeBoardDoc(
			app,
			id,
			(doc) => {
				const lane = readBoard(doc).lanes.find((l) => l.preset === 'unsorted');
				if (!lane) throw new Error('no unsorted lane');
				for (const c of more)
					addCard(doc, { title: c.title, note: c.note, lane: lane.id, author, now: Date.now() });
			},
			'bench'
		);
	}
	return id;
}

/** `origin`: the address browsers reach the server at, when that is a proxy in front of it. */
export async function serve(
	cardCounts: readonly number[],
	port: number,
	origin?: string
): Promise<Served> {
	ensureBuilt();
	const dir = mkdtempSync(join(tmpdir(), 'yoriai-bench-board-'));
	const dbPath = join(dir, 'bench.db');
	const app = await openApp(readConfig({ ...process.env, DATABASE_PATH: dbPath }));
	await seedLibraryFromDir(app.db, seedReportsDir(), Date.now());
	const user = await createUser(app.db, { displayName: 'ベンチ ファシリテーター' });
	const { token } = await createSession(app.db, user.id, Date.now(), 'bench');
	const boards = new Map<number, string>();
	const author = { id: user.id, name: user.displayName };
	for (const n of cardCounts) boards.set(n, await makeBoard(app, author, n));
	await closeCollab(app);
	await closeApp(app);

	const url = `http://localhost:${port}`;
	const taken = await fetch(`${url}/healthz`).then(
		() => true,
		() => false
	);
	if (taken) throw new Error(`port ${port} is in use (set BENCH_PORT)`);
	const child: ChildProcess = spawn(process.execPath, ['build-server/main.js'], {
		env: {
			...process.env,
			PORT: String(port),
			HOST: '127.0.0.1',
			ORIGIN: origin ?? url,
			DATABASE_PATH: dbPath,
			YORIAI_SEED_ON_START: '0'
		},
		stdio: ['ignore', 'ignore', 'pipe']
	});
	// Never left behind, even when the benchmark dies of an error.
	const orphan = () => child.kill('SIGKILL');
	process.once('exit', orphan);
	let err = '';
	child.stderr?.on('data', (c: Buffer) => {
		if (err.length < 10_000) err += c.toString();
	});
	const end = Date.now() + 60_000;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`server exited: ${err.slice(0, 2000)}`);
		if (Date.now() > end) throw new Error(`server did not start: ${err.slice(0, 2000)}`);
		const ok = await fetch(`${url}/healthz`).then(
			(r) => r.ok,
			() => false
		);
		if (ok) break;
		await new Promise((r) => setTimeout(r, 100));
	}
	const stop = async () => {
		if (child.exitCode === null && child.signalCode === null) {
			const exited = new Promise((r) => child.once('exit', r));
			child.kill('SIGTERM');
			await exited;
		}
		process.off('exit', orphan);
		rmSync(dir, { recursive: true, force: true });
	};
	return {
		url,
		origin: origin ?? url,
		cookie: `__Host-yoriai_session=${token}`,
		boards,
		pid: child.pid as number,
		stop
	};
}

/** Resident set size of a process, in MiB, from /proc. */
export function rssMiB(pid: number): number {
	const m = /VmRSS:\s+(\d+) kB/u.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
	return Number(m?.[1] ?? 0) / 1024;
}

/** CPU time a process has used so far (user + system), in ms, from /proc. */
export function cpuMs(pid: number): number {
	const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
	// utime and stime are fields 14 and 15 of stat, i.e. 11 and 12 after the command name.
	return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}
