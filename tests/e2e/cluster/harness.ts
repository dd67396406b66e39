import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findNginx, NGINX_MISSING } from './nginx.mjs';

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

/** The address a process gives its peers for relaying (collab_processes.address). */
export const internalUrl = (port: number) => `http://127.0.0.1:${port}`;

function nginxConfig(dir: string): string {
	const servers = CLUSTER.processPorts
		.map((p) => `\t\tserver 127.0.0.1:${p} max_fails=1 fail_timeout=2s;`)
		.join('\n');
	// The same proxying as deploy/nginx.conf, with round robin (every socket may then land on a
	// process that does not own its board) and every path inside the harness's folder.
	return `daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/nginx-error.log notice;
events { worker_connections 512; }
http {
	# Which process served each request and socket (a socket's line is written when it closes).
	log_format upstreams '$request_method $uri $status $upstream_addr';
	access_log ${dir}/nginx-access.log upstreams;
	client_body_temp_path ${dir}/nginx-body;
	proxy_temp_path ${dir}/nginx-proxy;
	fastcgi_temp_path ${dir}/nginx-fastcgi;
	uwsgi_temp_path ${dir}/nginx-uwsgi;
	scgi_temp_path ${dir}/nginx-scgi;
	upstream yoriai {
${servers}
		keepalive 16;
	}
	map $http_upgrade $connection_upgrade {
		default upgrade;
		'' '';
	}
	server {
		listen 127.0.0.1:${CLUSTER.port};
		client_max_body_size 2m;
		location /internal/ {
			return 404;
		}
		location /collab/ {
			proxy_pass http://yoriai;
			proxy_http_version 1.1;
			proxy_set_header Upgrade $http_upgrade;
			proxy_set_header Connection $connection_upgrade;
			proxy_set_header Host $http_host;
			proxy_set_header X-Forwarded-For $remote_addr;
			proxy_read_timeout 1h;
			proxy_send_timeout 1h;
			proxy_next_upstream error timeout http_503;
		}
		location / {
			proxy_pass http://yoriai;
			proxy_http_version 1.1;
			proxy_set_header Connection '';
			proxy_set_header Host $http_host;
			proxy_set_header X-Forwarded-For $remote_addr;
			proxy_set_header X-Forwarded-Proto $scheme;
		}
	}
}
`;
}

async function waitFor(url: string, ms: number, what: string): Promise<void> {
	const until = Date.now() + ms;
	for (;;) {
		try {
			const r = await fetch(url);
			if (r.ok) return;
		} catch {
			// not listening yet
		}
		if (Date.now() > until) throw new Error(`${what} did not answer ${url} within ${ms} ms`);
		await new Promise((r) => setTimeout(r, 200));
	}
}

/** Starts the Yoriai process on `port` (detached from nothing: the harness stops it by pid). */
export async function startProcess(port: number, state: ClusterState): Promise<number> {
	const log = openSync(join(CLUSTER.dir, `yoriai-${port}.log`), 'a');
	const child = spawn(process.execPath, ['build-server/main.js'], {
		env: {
			...process.env,
			PORT: String(port),
			HOST: '127.0.0.1',
			ORIGIN: CLUSTER.baseURL,
			DATABASE_URL: state.databaseUrl,
			YORIAI_SECRET_FILE: join(CLUSTER.dir, 'yoriai.secret'),
			YORIAI_INTERNAL_URL: internalUrl(port),
			YORIAI_INTERNAL_SECRET: state.internalSecret,
			ADDRESS_HEADER: 'X-Forwarded-For',
			XFF_DEPTH: '1',
			LOG_LEVEL: 'info'
		},
		stdio: ['ignore', log, log]
	});
	child.unref();
	const pid = child.pid!;
	// Recorded at once, so that the teardown stops it even if it never answers.
	state.pids[String(port)] = pid;
	writeState(state);
	await waitFor(`http://127.0.0.1:${port}/healthz`, 60_000, `Yoriai on ${port}`);
	return pid;
}

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

/** Sends `signal` to `pid` and waits until it is gone. */
export async function stopPid(pid: number, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
	if (!alive(pid)) return;
	process.kill(pid, signal);
	const until = Date.now() + 15_000;
	while (alive(pid) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
	if (alive(pid)) process.kill(pid, 'SIGKILL');
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

	writeFileSync(join(CLUSTER.dir, 'nginx.conf'), nginxConfig(CLUSTER.dir));
	const nginx = spawn(
		findNginx()!,
		['-p', CLUSTER.dir, '-e', join(CLUSTER.dir, 'nginx-error.log'), '-c', 'nginx.conf'],
		{ stdio: ['ignore', 'ignore', 'inherit'] }
	);
	nginx.unref();
	state.nginxPid = nginx.pid!;
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
