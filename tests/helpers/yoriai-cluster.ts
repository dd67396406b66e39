import { spawn } from 'node:child_process';
import { openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';
import { BOARD_LOCK_NAMESPACE } from '../../src/lib/server/db/locks';
import { findNginx, NGINX_MISSING } from '../e2e/cluster/nginx.mjs';

/**
 * The pieces of a Yoriai deployment in miniature (issue 15) that the cluster e2e harness
 * (tests/e2e/cluster/harness.ts) and the cluster benchmark (tests/bench/cluster.bench.ts) share:
 * built Yoriai processes on loopback ports on one PostgreSQL database, and nginx from Debian's
 * packages in front of them with the proxying rules of deploy/nginx.conf. Everything a caller
 * starts is stopped by its pid.
 */

/** The address a process gives its peers for relaying (collab_processes.address). */
export const internalUrl = (port: number) => `http://127.0.0.1:${port}`;

export interface YoriaiProcess {
	port: number;
	/** Where logs, the nginx files and the shared server secret live. */
	dir: string;
	databaseUrl: string;
	/** The shared server secret file (invite links must verify on every process). */
	secretFile: string;
	internalSecret: string;
	/** ORIGIN: the address browsers (and the benchmark's clients) use, i.e. nginx's. */
	origin: string;
	/** Pins the process to these CPUs with taskset (which execs node: the pid stays node's). */
	cpus?: string;
	/** Extra environment (e.g. YORIAI_SEED_ON_START=0). */
	env?: Record<string, string>;
}

/**
 * Starts `build-server/main.js` (needs `npm run build`) with the environment every process of a
 * deployment gets (deploy/README.md), logging to `yoriai-<port>.log` in `dir`. Returns its pid
 * at once, so that a caller can record it before waiting for `/healthz` (waitFor).
 */
export function spawnYoriai(p: YoriaiProcess): number {
	const log = openSync(join(p.dir, `yoriai-${p.port}.log`), 'a');
	const node = [process.execPath, 'build-server/main.js'];
	const [cmd, ...args] = p.cpus ? ['taskset', '-c', p.cpus, ...node] : node;
	const child = spawn(cmd!, args, {
		env: {
			...process.env,
			PORT: String(p.port),
			HOST: '127.0.0.1',
			ORIGIN: p.origin,
			DATABASE_URL: p.databaseUrl,
			YORIAI_SECRET_FILE: p.secretFile,
			YORIAI_INTERNAL_URL: internalUrl(p.port),
			YORIAI_INTERNAL_SECRET: p.internalSecret,
			ADDRESS_HEADER: 'X-Forwarded-For',
			XFF_DEPTH: '1',
			LOG_LEVEL: 'info',
			...p.env
		},
		stdio: ['ignore', log, log]
	});
	child.unref();
	return child.pid!;
}

export interface NginxSite {
	/** nginx's own port (loopback). */
	port: number;
	upstreamPorts: readonly number[];
	/** Holds the configuration, pid file, logs and temporary folders. */
	dir: string;
	/**
	 * round-robin: every socket may land on a process that does not own its board (and be
	 * relayed); hash: `hash $uri consistent` as deploy/nginx.conf, one board's sockets on one
	 * process.
	 */
	balance: 'round-robin' | 'hash';
	/** File name of the configuration inside `dir` (several sites may share a folder). */
	name?: string;
}

/** The same proxying as deploy/nginx.conf, with every path inside the site's folder. */
export function nginxConfig(site: NginxSite): string {
	const name = site.name ?? 'nginx';
	const d = site.dir;
	const servers = site.upstreamPorts
		.map((p) => `\t\tserver 127.0.0.1:${p} max_fails=0;`)
		.join('\n');
	const hash = site.balance === 'hash' ? '\t\thash $uri consistent;\n' : '';
	return `daemon off;
worker_processes 1;
pid ${d}/${name}.pid;
error_log ${d}/${name}-error.log notice;
events { worker_connections 1024; }
http {
	# Which process served each request and socket (a socket's line is written when it closes).
	log_format upstreams '$request_method $uri $status $upstream_addr';
	access_log ${d}/${name}-access.log upstreams;
	client_body_temp_path ${d}/${name}-body;
	proxy_temp_path ${d}/${name}-proxy;
	fastcgi_temp_path ${d}/${name}-fastcgi;
	uwsgi_temp_path ${d}/${name}-uwsgi;
	scgi_temp_path ${d}/${name}-scgi;
	upstream yoriai {
${hash}${servers}
		keepalive 16;
	}
	map $http_upgrade $connection_upgrade {
		default upgrade;
		'' '';
	}
	server {
		listen 127.0.0.1:${site.port};
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
			proxy_next_upstream error timeout;
			proxy_connect_timeout 2s;
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

/**
 * Starts nginx (findNginx: NGINX_PATH or Debian's /usr/sbin/nginx) in the foreground (`daemon
 * off`) on the site's configuration, written to `<dir>/<name>.conf`; returns its master's pid at
 * once (wait for `/healthz` through it with waitFor). Stop it with SIGQUIT, which lets its
 * worker finish.
 */
export function spawnNginx(site: NginxSite, cpus?: string): number {
	const name = site.name ?? 'nginx';
	writeFileSync(join(site.dir, `${name}.conf`), nginxConfig(site));
	const binary = findNginx();
	if (!binary) throw new Error(NGINX_MISSING);
	const nginx = [binary, '-p', site.dir, '-e', join(site.dir, `${name}-error.log`), '-c'];
	const argv = [...(cpus ? ['taskset', '-c', cpus] : []), ...nginx, `${name}.conf`];
	const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'ignore', 'inherit'] });
	child.unref();
	return child.pid!;
}

export async function waitFor(url: string, ms: number, what: string): Promise<void> {
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

export function alive(pid: number): boolean {
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

/**
 * The database backend holding `boardId`'s advisory lock (the owner's board-log connection) and
 * the internal address (YORIAI_INTERNAL_URL) of its process, or null when nobody holds it.
 */
export async function boardLockHolder(
	db: Pick<pg.Pool, 'query'>,
	boardId: string
): Promise<{ pid: number; address: string | null } | null> {
	const { rows } = await db.query<{ pid: number; address: string | null }>(
		`select l.pid, p.address from pg_locks l
		left join collab_processes p on p.backend_pid = l.pid
		where l.locktype = 'advisory' and l.granted and l.objsubid = 2
			and l.database = (select oid from pg_database where datname = current_database())
			and l.classid = $1 and l.objid = (hashtext($2)::bigint & 4294967295)::text::oid`,
		[BOARD_LOCK_NAMESPACE, boardId]
	);
	return rows[0] ?? null;
}

/** The internal address of the process that owns `boardId` now, or null when nobody does. */
export async function boardOwnerAddress(
	db: Pick<pg.Pool, 'query'>,
	boardId: string
): Promise<string | null> {
	return (await boardLockHolder(db, boardId))?.address ?? null;
}
