import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findNginx, NGINX_MISSING } from './nginx.mjs';
import { spawnNginx, spawnYoriai, stopPid, waitFor } from '../../helpers/yoriai-cluster';

export { internalUrl, stopPid } from '../../helpers/yoriai-cluster';

/**
 * A real deployment in miniature (issue 15, layer 5): nginx from Debian's packages as the load
 * balancer (round robin, WebSocket upgrade), in front of three built Yoriai processes on loopback
 * ports, all on one fresh PostgreSQL database, sharing the server secret file and the internal
 * secret, each with its own YORIAI_INTERNAL_URL (deploy/README.md). Started once by the cluster
 * config's global setup; the tests find everything in `state.json` in the harness's folder.
 */
const base = Number(process.env.E2E_CLUSTER_PORT ?? 5300);

export const CLUSTER = {
	/** nginx: what browsers and clients use. */
	port: base,
	baseURL: `http://localhost:${base}`,
	/** The Yoriai processes, straight (the tests only use them to choose a process on purpose). */
	processPorts: [base + 1, base + 2, base + 3],
	dir: join(tmpdir(), `yoriai-cluster-${base}`),
	admin: process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres'
};

export interface ClusterState {
	databaseUrl: string;
	databaseName: string;
	internalSecret: string;
	nginxPid: number;
	/** OS pid of the process on each port (a test that kills one and starts it again updates it). */
	pids: Record<string, number>;
}

const statePath = () => join(CLUSTER.dir, 'state.json');

export function readState(): ClusterState {
	return JSON.parse(readFileSync(statePath(), 'utf8')) as ClusterState;
}

function writeState(s: ClusterState): void {
	writeFileSync(statePath(), JSON.stringify(s, null, 2));
}

/** Starts the Yoriai process on `port` (detached from nothing: the harness stops it by pid). */
export async function startProcess(port: number, state: ClusterState): Promise<number> {
	const pid = spawnYoriai({
		port,
		dir: CLUSTER.dir,
		databaseUrl: state.databaseUrl,
		secretFile: join(CLUSTER.dir, 'yoriai.secret'),
		internalSecret: state.internalSecret,
		origin: CLUSTER.baseURL
	});
	// Recorded at once, so that the teardown stops it even if it never answers.
	state.pids[String(port)] = pid;
	writeState(state);
	await waitFor(`http://127.0.0.1:${port}/healthz`, 60_000, `Yoriai on ${port}`);
	return pid;
}

function psql(sql: string): void {
	execFileSync('psql', [CLUSTER.admin, '-v', 'ON_ERROR_STOP=1', '-qc', sql], { stdio: 'pipe' });
}

/** Playwright's global setup: a fresh database, three processes, nginx. Returns the teardown. */
export default async function globalSetup(): Promise<() => Promise<void>> {
	if (!findNginx()) throw new Error(NGINX_MISSING);
	rmSync(CLUSTER.dir, { recursive: true, force: true });
	mkdirSync(CLUSTER.dir, { recursive: true });
	const name = `scale_e2e_${CLUSTER.port}`;
	psql(`drop database if exists "${name}" with (force)`);
	psql(
		`create database "${name}" template template0 encoding 'UTF8' lc_ctype 'C.UTF-8' lc_collate 'C.UTF-8'`
	);
	const url = new URL(CLUSTER.admin);
	url.pathname = `/${name}`;
	// Every process must share the server secret (invite links), as on several machines.
	writeFileSync(join(CLUSTER.dir, 'yoriai.secret'), `${randomBytes(32).toString('hex')}\n`, {
		mode: 0o600
	});
	const state: ClusterState = {
		databaseUrl: url.toString(),
		databaseName: name,
		internalSecret: randomBytes(32).toString('hex'),
		nginxPid: 0,
		pids: {}
	};
	writeState(state);
	try {
		await startAll(state);
	} catch (e) {
		await stopAll();
		throw e;
	}
	return stopAll;
}

async function startAll(state: ClusterState): Promise<void> {
	// Started together, as systemd would: the start-up lock lets one of them migrate and seed.
	await Promise.all(CLUSTER.processPorts.map((p) => startProcess(p, state)));

	// Round robin: every socket may land on a process that does not own its board.
	state.nginxPid = spawnNginx({
		port: CLUSTER.port,
		upstreamPorts: CLUSTER.processPorts,
		dir: CLUSTER.dir,
		balance: 'round-robin'
	});
	writeState(state);
	await waitFor(`${CLUSTER.baseURL}/healthz`, 10_000, 'nginx');
}

/** The teardown: nginx and every process the harness (or a test) started, then the database. */
async function stopAll(): Promise<void> {
	const s = readState();
	if (s.nginxPid) await stopPid(s.nginxPid, 'SIGQUIT');
	await Promise.all(Object.values(s.pids).map((pid) => stopPid(pid)));
	if (!process.env.E2E_CLUSTER_KEEP) {
		psql(`drop database if exists "${s.databaseName}" with (force)`);
		rmSync(CLUSTER.dir, { recursive: true, force: true });
	}
}
