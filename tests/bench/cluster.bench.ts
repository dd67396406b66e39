/**
 * Issue 15, "Speed": the realtime workloads at N = 1, 2, 3 built Yoriai processes on one
 * PostgreSQL database behind nginx (Debian's, or NGINX_PATH), printed as one table to compare
 * across N:
 *   G1       one 500-card board, 50 full clients, 10 writers × 10 Hz: propagation p50/p99, through
 *            nginx with round robin (a socket lands on the board's owner 1 time in N, else it is
 *            relayed) and, at N = 3, with `hash $uri consistent` as deploy/nginx.conf (no relay);
 *   G2       50 boards × 4 full clients, one writer × 2 Hz per board: propagation p50/p99;
 *   G3       20 boards, one thin writer × 50 Hz each (1,000 updates/s offered): acknowledged
 *            updates/s and ack latency, where the ack is the server's saved report (message 100,
 *            src/lib/collab/saved.ts: sent only after the commit);
 *   relay    (N ≥ 2) the same round trips from a socket straight to the board's owner and from
 *            one to another process, which relays it (src/lib/server/collab/relay.ts): WebSocket
 *            ping → pong (the hop alone: the issue's target, p50 ≤ 1 ms added) and edit → saved
 *            report (with a PostgreSQL commit; see relay() below);
 *   failover (N ≥ 2) kill -9 of a board's owner while two clients edit at 10 Hz through nginx:
 *            time from the kill until each client has an edit made after it acknowledged, and
 *            acknowledged edits missing afterwards (must be 0);
 * with the CPU of each Yoriai process, nginx, this database's PostgreSQL backends (from
 * pg_stat_activity; PostgreSQL's shared background writers are left out, other work uses them)
 * and this harness over each workload, from /proc/<pid>/stat.
 *
 * Pinning as the realtime benchmark: every Yoriai process and nginx on CPU 0, this harness on
 * CPU 1 (servers.ts, BENCH_SERVER_CPU swaps them); PostgreSQL is a system service and floats.
 * So N processes share one core: the figures show what each process and the relay cost, not
 * how throughput grows with cores (src/lib/server/collab/README.md says what to expect there).
 *
 * Shortened to fit ~3½ minutes on 2 cores: steady states of 6 s after a 1.5 s warm-up (the
 * realtime benchmark doc asks 20–60 s), one round per workload, three kill rounds per N. Needs
 * `npm run build` (it runs build-server/main.js, as in production) and PostgreSQL at
 * TEST_DATABASE_URL; without either, or without nginx, it says why and gives no figures. It runs
 * in run.ts's PostgreSQL pass only. Ports BENCH_CLUSTER_PORT (5500) to +4; database
 * yoriai_clbench (dropped at the end).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg as osLoad, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import {
	MESSAGE_REFUSED,
	MESSAGE_SAVED,
	readRefusal,
	readSaved,
	savedParams
} from '../../src/lib/collab/saved';
import { buildBoard } from '../helpers/board-model';
import { socketClass } from '../helpers/collab';
import { findNginx, NGINX_MISSING } from '../e2e/cluster/nginx.mjs';
import { pgTestServer } from '../helpers/pg-probe';
import {
	boardOwnerAddress,
	internalUrl,
	spawnNginx,
	spawnYoriai,
	stopPid,
	waitFor
} from '../helpers/yoriai-cluster';
import type { Figure } from './bench';
import { dropPgDatabaseSync, freshPgDatabaseSync } from './pg';
import { tag, ThinClient, updateFrame, waitUntil, type Endpoint } from './realtime/clients';
import { prepareOurs } from './realtime/fixtures';
import { dist } from './realtime/report';
import { cpuSeconds, HARNESS_CPU, SERVER_CPU, sleep } from './realtime/servers';
import { joinClients, Workload } from './realtime/workload';

const PORT = Number(process.env.BENCH_CLUSTER_PORT ?? 5500);
/** nginx with round robin, the three processes, nginx hashing on the board address. */
const NGINX_RR = PORT;
const PROCESS_PORTS = [PORT + 1, PORT + 2, PORT + 3];
const NGINX_HASH = PORT + 4;
const DB_NAME = 'yoriai_clbench';
const WARMUP_MS = 1500;
const STEADY_MS = 6000;
const FAILOVER_ROUNDS = 3;
/** Sessions spread over enough users that no one reaches the per-user socket cap (16). */
const USERS = 32;

const loadavg = () =>
	osLoad()
		.map((x) => x.toFixed(2))
		.join(' ');

interface Cluster {
	dir: string;
	databaseUrl: string;
	internalSecret: string;
	/** What every process takes for its ORIGIN, and every client sends. */
	origin: string;
	/** pid of the process on each of PROCESS_PORTS, 0 while it is not running. */
	pids: number[];
	nginx: { rr: number; hash: number };
	pool: pg.Pool;
	tokens: string[];
	boards: { seeded: string[]; empty: string[] };
}

// ─── the printed table ──────────────────────────────────────────────────────────────────────────

const NS = [1, 2, 3] as const;
type N = (typeof NS)[number];
const cells = new Map<
	string,
	{ workload: string; figure: string; at: Partial<Record<N, string>> }
>();
const out: Figure[] = [];

function cell(workload: string, figure: string, n: N, text: string): void {
	const key = `${workload}\u0000${figure}`;
	const row = cells.get(key) ?? { workload, figure, at: {} };
	row.at[n] = text;
	cells.set(key, row);
}

const fmt = (x: number) =>
	!Number.isFinite(x) || Number.isInteger(x)
		? String(x)
		: Math.abs(x) >= 100
			? x.toFixed(0)
			: Math.abs(x) >= 10
				? x.toFixed(1)
				: x.toFixed(2);

/** A figure for run.ts's common table (named with its N) and its cell in the cluster table. */
function figure(workload: string, name: string, n: N, f: Omit<Figure, 'name'>, text?: string) {
	out.push({ ...f, name: `${workload} ${name} (N=${n})` });
	cell(workload, `${name}${f.unit ? ` ${f.unit}` : ''}`, n, text ?? fmt(f.value));
}

function printTable(): void {
	console.info('\n| workload | figure | N=1 | N=2 | N=3 |\n|---|---|---|---|---|');
	for (const r of cells.values())
		console.info(`| ${r.workload} | ${r.figure} | ${NS.map((n) => r.at[n] ?? '–').join(' | ')} |`);
}

// ─── entry ──────────────────────────────────────────────────────────────────────────────────────

export async function run(): Promise<Figure[]> {
	const why = await unmet();
	if (why) {
		console.info(`cluster benchmark: ${why}`);
		return [];
	}
	spawnSync('taskset', ['-a', '-p', '-c', HARNESS_CPU, String(process.pid)], { stdio: 'ignore' });
	process.setMaxListeners(1000);
	const started = performance.now();
	console.info(
		`cluster benchmark: N = 1, 2, 3 built processes + nginx on CPU ${SERVER_CPU}, harness on CPU ` +
			`${HARNESS_CPU}, PostgreSQL unpinned; load average ${loadavg()}`
	);
	const c = await setUp();
	try {
		for (const n of NS) {
			await scaleTo(c, n);
			console.info(`\n── N = ${n} (load average ${loadavg()}) ──`);
			const rr: Endpoint = { kind: 'ours', port: NGINX_RR, origin: c.origin };
			await attempt('G1 round robin', n, () => g1(c, n, rr, 'G1 round robin'));
			if (n === 3) {
				const hash: Endpoint = { kind: 'ours', port: NGINX_HASH, origin: c.origin };
				await attempt('G1 hash $uri', n, () => g1(c, n, hash, 'G1 hash $uri'));
			}
			await attempt('G2', n, () => g2(c, n, rr));
			await attempt('G3', n, () => g3(c, n, rr));
			if (n > 1) {
				await attempt('relay', n, () => relay(c, n));
				await attempt('failover', n, () => failover(c, n));
			}
		}
	} finally {
		await tearDown(c);
	}
	printTable();
	console.info(`\nload average at the end ${loadavg()} (other work on this machine skews tails)`);
	console.info(`cluster benchmark took ${((performance.now() - started) / 1000).toFixed(0)} s`);
	return out;
}

/** Why the benchmark cannot run here, or null. */
async function unmet(): Promise<string | null> {
	const probe = await pgTestServer();
	if (!probe.ok) return `NOT RUN: no PostgreSQL server answered at ${probe.url}`;
	// run.ts runs every benchmark once per database; this one is PostgreSQL's only.
	if (process.env.BENCH_DB !== 'postgres') return 'runs in the PostgreSQL pass (BENCH_DB=postgres)';
	if (!findNginx()) return `NOT RUN: ${NGINX_MISSING}`;
	if (!existsSync('build-server/main.js') || !existsSync('build/handler.js'))
		return 'NOT RUN: no built server (build-server/main.js): run `npm run build` first';
	return null;
}

/** One workload; a failure is reported (and fails the run) and the others still run. */
async function attempt(workload: string, n: N, fn: () => Promise<void>): Promise<void> {
	try {
		await fn();
	} catch (e) {
		const message = e instanceof Error ? e.message : String(e);
		console.info(`  ${workload} failed: ${message}`);
		out.push({ name: `${workload} (N=${n}) error: ${message}`, value: NaN, unit: '', max: 0 });
		cell(workload, 'error', n, message);
	}
}

// ─── the cluster: database, processes, nginx ────────────────────────────────────────────────────

async function setUp(): Promise<Cluster> {
	const dir = mkdtempSync(join(tmpdir(), 'yoriai-clbench-'));
	const databaseUrl = freshPgDatabaseSync(DB_NAME);
	const board = buildBoard();
	const boardState = Y.encodeStateAsUpdate(board);
	board.destroy();
	// Every board any workload uses, made before any process starts (and migrated here, once):
	// G1 one seeded board per run (4), then per N G2 50 + G3 20 + relay 1 + failover 3.
	const seededCount = 4;
	const total = seededCount + 3 * (50 + 20 + 1 + FAILOVER_ROUNDS);
	const f = await prepareOurs(databaseUrl, USERS, total, (i) =>
		i < seededCount ? boardState : null
	);
	writeFileSync(join(dir, 'yoriai.secret'), `${randomBytes(32).toString('hex')}\n`, {
		mode: 0o600
	});
	return {
		dir,
		databaseUrl,
		internalSecret: randomBytes(32).toString('hex'),
		origin: `http://127.0.0.1:${NGINX_RR}`,
		pids: PROCESS_PORTS.map(() => 0),
		nginx: { rr: 0, hash: 0 },
		pool: new pg.Pool({ connectionString: databaseUrl, max: 2 }),
		tokens: f.tokens,
		boards: { seeded: f.boards.slice(0, seededCount), empty: f.boards.slice(seededCount) }
	};
}

function take(c: Cluster, kind: 'seeded' | 'empty', count = 1): string[] {
	const got = c.boards[kind].splice(0, count);
	if (got.length < count) throw new Error(`out of ${kind} boards`);
	return got;
}

async function startProcess(c: Cluster, i: number): Promise<void> {
	const port = PROCESS_PORTS[i] as number;
	c.pids[i] = spawnYoriai({
		port,
		dir: c.dir,
		databaseUrl: c.databaseUrl,
		secretFile: join(c.dir, 'yoriai.secret'),
		internalSecret: c.internalSecret,
		origin: c.origin,
		cpus: SERVER_CPU,
		// The fixture already migrated; the library seed is not what is measured.
		env: { YORIAI_SEED_ON_START: '0' }
	});
	await waitFor(`http://127.0.0.1:${port}/healthz`, 60_000, `Yoriai on ${port}`);
}

/** Runs the first `n` processes, and nginx (round robin; at N = 3 also hashing) in front of them. */
async function scaleTo(c: Cluster, n: N): Promise<void> {
	for (let i = 0; i < n; i++) if (!c.pids[i]) await startProcess(c, i);
	if (c.nginx.rr) await stopPid(c.nginx.rr, 'SIGQUIT');
	const upstreamPorts = PROCESS_PORTS.slice(0, n);
	c.nginx.rr = spawnNginx(
		{ port: NGINX_RR, upstreamPorts, dir: c.dir, balance: 'round-robin', name: 'rr' },
		SERVER_CPU
	);
	await waitFor(`http://127.0.0.1:${NGINX_RR}/healthz`, 10_000, 'nginx');
	if (n === 3) {
		c.nginx.hash = spawnNginx(
			{ port: NGINX_HASH, upstreamPorts, dir: c.dir, balance: 'hash', name: 'hash' },
			SERVER_CPU
		);
		await waitFor(`http://127.0.0.1:${NGINX_HASH}/healthz`, 10_000, 'nginx (hash)');
	}
}

async function tearDown(c: Cluster): Promise<void> {
	for (const pid of [c.nginx.rr, c.nginx.hash]) if (pid) await stopPid(pid, 'SIGQUIT');
	await Promise.all(c.pids.filter(Boolean).map((pid) => stopPid(pid)));
	await c.pool.end();
	dropPgDatabaseSync(DB_NAME);
	rmSync(c.dir, { recursive: true, force: true });
}

/** The port of the process that owns `board` now, or null. */
async function ownerPort(c: Cluster, board: string): Promise<number | null> {
	const address = await boardOwnerAddress(c.pool, board);
	return PROCESS_PORTS.find((p) => internalUrl(p) === address) ?? null;
}

const direct = (c: Cluster, port: number): Endpoint => ({ kind: 'ours', port, origin: c.origin });

// ─── CPU per process ────────────────────────────────────────────────────────────────────────────

/** Pids whose parent is `parent` (nginx's workers), from /proc. */
function childrenOf(parent: number): number[] {
	const kids: number[] = [];
	for (const name of readdirSync('/proc')) {
		if (!/^\d+$/u.test(name)) continue;
		try {
			const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
			// Field 4 (ppid) is the second after the command name's closing parenthesis.
			if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === parent)
				kids.push(Number(name));
		} catch {
			// gone meanwhile
		}
	}
	return kids;
}

function cpuOf(pid: number): number | null {
	try {
		return cpuSeconds(pid);
	} catch {
		return null;
	}
}

/**
 * CPU used over a workload, as % of one core: each Yoriai process, nginx (its workers), this
 * database's PostgreSQL backends, and this harness.
 */
async function meterCpu(c: Cluster): Promise<() => Promise<Record<string, number>>> {
	const groups = async (): Promise<Record<string, number[]>> => {
		const { rows } = await c.pool.query<{ pid: number }>(
			'select pid from pg_stat_activity where datname = current_database()'
		);
		const g: Record<string, number[]> = {};
		c.pids.forEach((pid, i) => {
			if (pid) g[`p${i + 1}`] = [pid];
		});
		g.nginx = [c.nginx.rr, c.nginx.hash].filter(Boolean).flatMap(childrenOf);
		g.pg = rows.map((r) => r.pid);
		return g;
	};
	const before = new Map<number, number>();
	for (const pids of Object.values(await groups()))
		for (const pid of pids) before.set(pid, cpuOf(pid) ?? 0);
	const harness = process.cpuUsage();
	const t0 = performance.now();
	return async () => {
		const secs = (performance.now() - t0) / 1000;
		const h = process.cpuUsage(harness);
		const result: Record<string, number> = {};
		for (const [label, pids] of Object.entries(await groups())) {
			let used = 0;
			// A backend that started during the workload counts from its start.
			for (const pid of pids) used += (cpuOf(pid) ?? before.get(pid) ?? 0) - (before.get(pid) ?? 0);
			result[label] = (used / secs) * 100;
		}
		result.harness = ((h.user + h.system) / 1e6 / secs) * 100;
		return result;
	};
}

/** The CPU cell ("p1 40 · p2 12 · nginx 5 · pg 20 · harness 60", % of a core), and two figures. */
function recordCpu(workload: string, n: N, cpu: Record<string, number>): void {
	const yoriai = Object.entries(cpu)
		.filter(([k]) => /^p\d$/u.test(k))
		.reduce((s, [, v]) => s + v, 0);
	cell(
		workload,
		'CPU % of a core',
		n,
		Object.entries(cpu)
			.map(([k, v]) => `${k} ${v.toFixed(0)}`)
			.join(' · ')
	);
	out.push({ name: `${workload} Yoriai CPU, all processes (N=${n})`, value: yoriai, unit: '%' });
	out.push({ name: `${workload} PostgreSQL CPU (N=${n})`, value: cpu.pg ?? 0, unit: '%' });
	console.info(
		`  ${workload}: CPU % of a core ${Object.entries(cpu)
			.map(([k, v]) => `${k} ${v.toFixed(0)}`)
			.join(', ')}`
	);
}

// ─── G1: one hot board ──────────────────────────────────────────────────────────────────────────

async function g1(c: Cluster, n: N, at: Endpoint, workload: string): Promise<void> {
	const [board] = take(c, 'seeded') as [string];
	const clients = await joinClients(at, board, c.tokens, 50, { cards: 500 });
	const owner = await ownerPort(c, board);
	const w = new Workload();
	clients.forEach((cl) => w.observe(cl));
	await sleep(500);
	const stop = await meterCpu(c);
	const ops = await w.drive(clients.slice(0, 10), 10, STEADY_MS, WARMUP_MS);
	const cpu = await stop();
	await sleep(1000);
	clients.forEach((cl) => cl.destroy());
	const d = dist(w.latencies);
	figure(workload, 'propagation p50', n, { value: d.p50, unit: 'ms' });
	figure(workload, 'propagation p99', n, { value: d.p99, unit: 'ms' });
	const ratio = w.deliveries / (ops * 49);
	figure(workload, 'delivery ratio', n, { value: ratio, unit: '' }, ratio.toFixed(4));
	// nginx logs a socket when it closes: which process each of the 50 landed on.
	await sleep(500);
	const site = at.port === NGINX_HASH ? 'hash' : 'rr';
	const landed = readFileSync(join(c.dir, `${site}-access.log`), 'utf8')
		.split('\n')
		.filter((l) => l.includes(`/collab/${board}`))
		.map((l) => l.split(' ')[3] ?? '');
	const relayed = landed.filter((a) => a !== `127.0.0.1:${owner}`).length;
	cell(workload, 'sockets relayed to the owner', n, `${relayed} of ${landed.length}`);
	recordCpu(workload, n, cpu);
	console.info(
		`  ${workload}: p50 ${fmt(d.p50)} / p99 ${fmt(d.p99)} ms, delivery ${ratio.toFixed(4)}, ` +
			`${relayed} of ${landed.length} sockets relayed to the owner (${owner})`
	);
}

// ─── G2: many boards ────────────────────────────────────────────────────────────────────────────

async function g2(c: Cluster, n: N, at: Endpoint): Promise<void> {
	const boards = take(c, 'empty', 50);
	const w = new Workload();
	const writers: Awaited<ReturnType<typeof joinClients>> = [];
	const all: typeof writers = [];
	for (const [i, board] of boards.entries()) {
		const cs = await joinClients(at, board, c.tokens, 4, { firstUser: i * 4 });
		cs.forEach((cl) => w.observe(cl));
		writers.push(cs[0]!);
		all.push(...cs);
	}
	const owners = new Map<number | null, number>();
	for (const b of boards) {
		const o = await ownerPort(c, b);
		owners.set(o, (owners.get(o) ?? 0) + 1);
	}
	const stop = await meterCpu(c);
	const ops = await w.drive(writers, 2, STEADY_MS, WARMUP_MS);
	const cpu = await stop();
	await sleep(1000);
	all.forEach((cl) => cl.destroy());
	const d = dist(w.latencies);
	figure('G2', 'propagation p50', n, { value: d.p50, unit: 'ms' });
	figure('G2', 'propagation p99', n, { value: d.p99, unit: 'ms' });
	const ratio = w.deliveries / (ops * 3);
	figure('G2', 'delivery ratio', n, { value: ratio, unit: '' }, ratio.toFixed(4));
	const spread = PROCESS_PORTS.slice(0, n)
		.map((p, i) => `p${i + 1} ${owners.get(p) ?? 0}`)
		.join(' · ');
	cell('G2', 'boards owned', n, spread);
	recordCpu('G2', n, cpu);
	console.info(`  G2: p50 ${fmt(d.p50)} / p99 ${fmt(d.p99)} ms, boards owned ${spread}`);
}

// ─── G3: durable acknowledged updates ───────────────────────────────────────────────────────────

const G3_WRITERS = 20;
const G3_HZ = 50;

/**
 * A thin writer that asked for saved reports: its own Yjs document makes the updates, and an
 * update is acknowledged when a report names a clock at or past the one it brought the writer to.
 */
class AckedWriter {
	readonly doc = new Y.Doc();
	readonly client: ThinClient;
	/** (clock after the update, when sent), oldest first, until acknowledged. */
	private readonly pending: { clock: number; at: number }[] = [];
	private frame: Uint8Array | null = null;

	constructor(at: Endpoint, board: string, token: string, onAck: (sentAt: number) => void) {
		this.client = new ThinClient(at, board, token, { saved: true });
		this.doc.on('update', (u: Uint8Array) => (this.frame = updateFrame(u)));
		this.client.onSaved = (report) => {
			const stored = readSaved(report, this.doc.clientID);
			while (this.pending.length > 0 && this.pending[0]!.clock <= stored)
				onAck(this.pending.shift()!.at);
		};
	}

	edit(id: number): void {
		this.doc.getMap('m').set('k', tag(id));
		this.pending.push({
			clock: Y.getState(this.doc.store, this.doc.clientID),
			at: performance.now()
		});
		this.client.send(this.frame!);
	}

	close(): void {
		this.client.close();
		this.doc.destroy();
	}
}

async function g3(c: Cluster, n: N, at: Endpoint): Promise<void> {
	const boards = take(c, 'empty', G3_WRITERS);
	let windowStart = Infinity;
	const latencies: number[] = [];
	const writers = boards.map(
		(b, i) =>
			new AckedWriter(at, b, c.tokens[i % c.tokens.length]!, (sentAt) => {
				if (sentAt >= windowStart) latencies.push(performance.now() - sentAt);
			})
	);
	await Promise.all(writers.map((w) => w.client.whenSynced()));
	const period = 1000 / G3_HZ;
	const next = writers.map((_, i) => performance.now() + (i * period) / writers.length);
	const start = performance.now();
	let sent = 0;
	let firstInWindow = 0;
	let stop: (() => Promise<Record<string, number>>) | null = null;
	while (performance.now() - start < WARMUP_MS + STEADY_MS) {
		const now = performance.now();
		if (now - start >= WARMUP_MS && windowStart === Infinity) {
			stop = await meterCpu(c);
			windowStart = performance.now();
			firstInWindow = sent;
		}
		writers.forEach((w, i) => {
			if (now < next[i]!) return;
			next[i] = next[i]! + period;
			w.edit(sent++);
		});
		await sleep(1);
	}
	const windowEnd = performance.now();
	const cpu = await stop!();
	// Acks of the window's last updates still on their way.
	await sleep(500);
	writers.forEach((w) => w.close());
	const secs = (windowEnd - windowStart) / 1000;
	const rate = latencies.length / secs;
	// What the harness managed to send in the window (it falls behind when its CPU is taken).
	const sentRate = (sent - firstInWindow) / secs;
	const d = dist(latencies);
	const offered = G3_WRITERS * G3_HZ;
	figure(
		'G3',
		`acked upd/s (offered ${offered})`,
		n,
		{ value: rate, unit: '' },
		`${rate.toFixed(0)} (${sentRate.toFixed(0)} sent)`
	);
	figure('G3', 'ack p50', n, { value: d.p50, unit: 'ms' });
	figure('G3', 'ack p99', n, { value: d.p99, unit: 'ms' });
	recordCpu('G3', n, cpu);
	console.info(
		`  G3: ${rate.toFixed(0)} acked upd/s of ${sentRate.toFixed(0)} sent, ack p50 ${fmt(d.p50)} / p99 ${fmt(d.p99)} ms`
	);
}

// ─── relay: straight to the owner vs through another process ───────────────────────────────────

const PINGS = 400;
const EDITS = 300;

function ping(t: ThinClient): Promise<number> {
	return new Promise((resolve) => {
		const t0 = performance.now();
		t.ws.once('pong', () => resolve(performance.now() - t0));
		t.ws.ping();
	});
}

/**
 * The relay pipes bytes without parsing them, so it adds the same two loopback hops to any
 * frame: a WebSocket ping, answered by the owner's ws library without touching the board,
 * measures exactly those (the target's figure); an edit's round trip to its saved report adds
 * a PostgreSQL commit, whose jitter under load is larger than the hops, so its difference is
 * taken pair by pair (one straight and one relayed edit back to back, the median of the
 * differences) and shown beside it.
 */
async function relay(c: Cluster, n: N): Promise<void> {
	const [board] = take(c, 'empty') as [string];
	const [ownerAt, otherAt] = PROCESS_PORTS as [number, number];
	const acks: ((at: number) => void)[] = [];
	const writer = (port: number, token: string) => {
		const slot = acks.length;
		acks.push(() => undefined);
		return new AckedWriter(direct(c, port), board, token, (sentAt) => acks[slot]!(sentAt));
	};
	// The first socket makes its process the owner.
	const straight = writer(ownerAt, c.tokens[0]!);
	await straight.client.whenSynced();
	const owner = await ownerPort(c, board);
	if (owner !== ownerAt) throw new Error(`the board's owner is ${owner}, not ${ownerAt}`);
	const relayed = writer(otherAt, c.tokens[1]!);
	await relayed.client.whenSynced();
	const pair = [straight, relayed];
	const pings: number[][] = [[], []];
	const edits: number[][] = [[], []];
	try {
		// Alternated, so that whatever else the machine does falls on both alike.
		for (let i = 0; i < PINGS; i++)
			for (const k of i % 2 ? [1, 0] : [0, 1]) pings[k]!.push(await ping(pair[k]!.client));
		for (let i = 0; i < EDITS; i++)
			for (const k of i % 2 ? [1, 0] : [0, 1]) {
				const acked = new Promise<number>((resolve) => {
					acks[k] = (sentAt) => resolve(performance.now() - sentAt);
				});
				pair[k]!.edit(i);
				edits[k]!.push(await acked);
			}
	} finally {
		pair.forEach((w) => w.close());
	}
	type D = ReturnType<typeof dist>;
	const [pd, pr] = pings.map(dist) as [D, D];
	const [ed, er] = edits.map(dist) as [D, D];
	const paired = (xs: number[][]) => dist(xs[1]!.map((r, i) => r - xs[0]![i]!));
	const both = (a: D, b: D) => `${fmt(a.p50)} / ${fmt(a.p99)} → ${fmt(b.p50)} / ${fmt(b.p99)}`;
	cell('relay', 'ping → pong p50 / p99 ms, straight → relayed', n, both(pd, pr));
	figure('relay', 'ping → pong added p50', n, { value: paired(pings).p50, unit: 'ms', max: 1 });
	figure('relay', 'ping → pong added p99', n, { value: pr.p99 - pd.p99, unit: 'ms' });
	cell('relay', 'edit → saved p50 / p99 ms, straight → relayed', n, both(ed, er));
	figure('relay', 'edit → saved added p50 (paired)', n, { value: paired(edits).p50, unit: 'ms' });
	console.info(
		`  relay: ping p50/p99 ${both(pd, pr)} ms (added p50 ${fmt(paired(pings).p50)}); ` +
			`edit → saved ${both(ed, er)} ms (added p50 ${fmt(paired(edits).p50)})`
	);
}

// ─── failover after kill -9 of the owner ────────────────────────────────────────────────────────

interface Op {
	key: string;
	/** The editor's clock after this edit: acknowledged by a saved report naming at least it. */
	clock: number;
	madeAt: number;
	ackedAt: number | null;
}

/**
 * A browser-like client through nginx: the board page's backoff, saved reports; a refusal
 * (message 101, which the board page answers by rebuilding its document) is counted in
 * `refusals` by rule, as it would mean the failover confused the board's rules.
 */
function editor(
	c: Cluster,
	board: string,
	token: string,
	ops: Op[],
	refusals: string[]
): WebsocketProvider {
	const p = new WebsocketProvider(`ws://127.0.0.1:${NGINX_RR}/collab`, board, new Y.Doc(), {
		WebSocketPolyfill: socketClass({
			Origin: c.origin,
			Cookie: `__Host-yoriai_session=${token}`
		}),
		disableBc: true,
		params: savedParams(),
		maxBackoffTime: 5000
	});
	p.messageHandlers[MESSAGE_SAVED] = (_e, decoder) => {
		const clock = readSaved(decoder, p.doc.clientID);
		const now = performance.now();
		for (const op of ops) if (op.ackedAt === null && op.clock <= clock) op.ackedAt = now;
	};
	p.messageHandlers[MESSAGE_REFUSED] = (_e, decoder) => refusals.push(readRefusal(decoder).rule);
	return p;
}

/** When each editor's first edit made after `t` was acknowledged, or null while one is not. */
function firstAckAfter(ops: Op[][], t: number): number[] | null {
	const acks = ops.map((list) => list.find((o) => o.madeAt > t && o.ackedAt !== null)?.ackedAt);
	return acks.every((a) => a !== undefined) ? (acks as number[]) : null;
}

async function failover(c: Cluster, n: N): Promise<void> {
	const times: number[] = [];
	const refusals: string[] = [];
	let lost = 0;
	for (let round = 0; round < FAILOVER_ROUNDS; round++) {
		const [board] = take(c, 'empty') as [string];
		const ops: Op[][] = [[], []];
		const eds = ops.map((o, i) => editor(c, board, c.tokens[i]!, o, refusals));
		let writing = true;
		let killed = -1;
		try {
			await waitUntil(() => eds.every((p) => p.synced), 30_000, 'editors synced');
			const loops = eds.map(async (p, i) => {
				for (let k = 0; writing; k++) {
					p.doc.getMap('ops').set(`e${i}n${k}`, k);
					const clock = Y.getState(p.doc.store, p.doc.clientID);
					ops[i]!.push({ key: `e${i}n${k}`, clock, madeAt: performance.now(), ackedAt: null });
					await sleep(100);
				}
			});
			await sleep(1000);
			killed = PROCESS_PORTS.indexOf((await ownerPort(c, board)) ?? -1);
			if (killed < 0) throw new Error(`no owner among the processes for ${board}`);
			const killedAt = performance.now();
			process.kill(c.pids[killed]!, 'SIGKILL');
			c.pids[killed] = 0;
			await waitUntil(
				() => firstAckAfter(ops, killedAt) !== null,
				20_000,
				'an edit made after the kill acknowledged, for every editor'
			);
			const served = firstAckAfter(ops, killedAt)!.map((a) => a - killedAt);
			times.push(Math.max(...served));
			writing = false;
			await Promise.all(loops);
			await sleep(500);
			// Every acknowledged edit is there for a newcomer.
			const reader = editor(c, board, c.tokens[2]!, [], refusals);
			await waitUntil(() => reader.synced, 20_000, 'reader synced');
			const have = reader.doc.getMap('ops');
			lost += ops.flat().filter((o) => o.ackedAt !== null && !have.has(o.key)).length;
			reader.destroy();
			reader.doc.destroy();
			// Handshakes that did not become sockets (nginx logs each with its status and process).
			const refused = readFileSync(join(c.dir, 'rr-access.log'), 'utf8')
				.split('\n')
				.filter((l) => l.includes(`/collab/${board}`) && l.split(' ')[2] !== '101');
			console.info(
				`  failover round ${round + 1}: killed p${killed + 1}; each editor's next edit acked ` +
					`${served.map((x) => x.toFixed(0)).join(' / ')} ms after the kill; handshakes refused: ` +
					(refused.map((l) => l.split(' ').slice(2).join(' ')).join(', ') || 'none')
			);
		} finally {
			writing = false;
			eds.forEach((p) => {
				p.destroy();
				p.doc.destroy();
			});
			if (killed >= 0 && !c.pids[killed]) await startProcess(c, killed);
		}
	}
	const d = dist(times);
	figure('failover', 'kill -9 → next edit acked p50', n, { value: d.p50, unit: 'ms' });
	figure('failover', 'kill -9 → next edit acked max', n, { value: d.max, unit: 'ms' });
	figure('failover', 'acknowledged edits lost', n, { value: lost, unit: '', max: 0 });
	cell('failover', 'updates refused (message 101), by rule', n, refusals.join(', ') || 'none');
}
