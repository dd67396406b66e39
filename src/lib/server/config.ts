import { resolve } from 'node:path';
import { PG_DEFAULTS, type PgOptions } from './db/postgres';

/**
 * Runtime configuration, read once from the environment by the process entry (`server/main.ts`
 * or the Vite dev plugin) and passed down; nothing else reads `process.env`. The README's
 * configuration table lists every variable.
 */
export interface Config {
	port: number;
	host: string;
	/**
	 * The public origin (scheme://host[:port]) browsers use to reach Yoriai. Form posts and
	 * WebSocket upgrades from any other origin are refused, and absolute links are built from it.
	 */
	origin: string;
	/** SQLite's file, used when no databaseUrl is set (DATABASE_PATH). */
	databasePath: string;
	/** The server secret's file (invite links are derived from it); kept apart from the database. */
	secretFile: string;
	/** DATABASE_URL: a postgres:// URL selects PostgreSQL (src/lib/server/db/open.ts). */
	databaseUrl: string | null;
	/** PostgreSQL's pool size, statement timeout and start-up retry (README, configuration). */
	databasePg: PgOptions;
	/** Where the five source reports are, for seeding quotes' context. */
	reportsDir: string;
	/** Seed the library from `seeds/reports` at start (idempotent). */
	seedOnStart: boolean;
	/** Multiplies every login/registration backoff; tests shorten it, never production. */
	throttleScale: number;
	/** Where the server writes backups ("back up now" and the schedule); null: none. */
	backupDir: string | null;
	/** Time between scheduled backups; null: only on request. */
	backupIntervalMs: number | null;
	/** How many backups to keep in backupDir (older ones are removed after each backup). */
	backupKeep: number;
	/** Pages copied per step of an online backup (smaller: shorter pauses, longer backup). */
	backupStepPages: number;
	/** A bearer token that may read /metrics (administrators' sessions may too); null: none. */
	metricsToken: string | null;
	/**
	 * Several processes on one PostgreSQL database (issue 15): where the other processes reach
	 * this one (YORIAI_INTERNAL_URL, e.g. http://10.0.0.5:3001) to relay a board's sockets to it,
	 * and the secret they share to prove a relayed handshake came from one of them
	 * (YORIAI_INTERNAL_SECRET). Both or neither; null: no relaying (one process).
	 */
	internal: { url: URL; secret: string } | null;
}

/** `90s`, `30m`, `6h`, `1d`, or plain seconds. */
export function parseDuration(value: string, name: string): number {
	const m = /^([0-9]+)(s|m|h|d)?$/u.exec(value.trim());
	if (!m) throw new Error(`${name}=${value} is not a duration (like 30m, 6h, 1d)`);
	const unit = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] ?? 's'] ?? 1_000;
	const ms = Number(m[1]) * unit;
	if (ms < 60_000) throw new Error(`${name}=${value} is shorter than a minute`);
	return ms;
}

function positiveInt(value: string | undefined, fallback: number, name: string): number {
	if (value === undefined || value === '') return fallback;
	const n = Number(value);
	if (!Number.isInteger(n) || n < 1) throw new Error(`${name}=${value} must be a whole number ≥ 1`);
	return n;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
	const port = env.PORT ? Number(env.PORT) : 3000;
	if (!Number.isInteger(port) || port < 0 || port > 65535)
		throw new Error(`PORT=${env.PORT} is not a port`);
	const origin = new URL(env.ORIGIN ?? `http://localhost:${port}`).origin;
	const throttleScale = env.YORIAI_THROTTLE_SCALE ? Number(env.YORIAI_THROTTLE_SCALE) : 1;
	if (!(throttleScale > 0 && throttleScale <= 1))
		throw new Error('YORIAI_THROTTLE_SCALE must be in (0, 1]');
	const databasePath = resolve(env.DATABASE_PATH ?? 'data/yoriai.db');
	const databaseUrl = env.DATABASE_URL?.trim() || null;
	if (databaseUrl && !/^postgres(ql)?:\/\//u.test(databaseUrl))
		throw new Error('DATABASE_URL must be a postgres:// URL (leave it unset for SQLite)');
	return {
		port,
		host: env.HOST ?? '0.0.0.0',
		origin,
		databasePath,
		secretFile: resolve(env.YORIAI_SECRET_FILE ?? `${databasePath}.secret`),
		databaseUrl,
		databasePg: {
			poolSize: whole(env, 'DATABASE_POOL_SIZE', PG_DEFAULTS.poolSize, 1),
			statementTimeoutMs: whole(
				env,
				'DATABASE_STATEMENT_TIMEOUT_MS',
				PG_DEFAULTS.statementTimeoutMs,
				0
			),
			connectRetryMs: whole(env, 'DATABASE_CONNECT_RETRY_MS', PG_DEFAULTS.connectRetryMs, 0)
		},
		reportsDir: resolve(env.YORIAI_REPORTS_DIR ?? '../shared/reports'),
		seedOnStart: env.YORIAI_SEED_ON_START !== '0',
		throttleScale,
		backupDir: env.BACKUP_DIR ? resolve(env.BACKUP_DIR) : null,
		backupIntervalMs: env.BACKUP_INTERVAL
			? parseDuration(env.BACKUP_INTERVAL, 'BACKUP_INTERVAL')
			: null,
		backupKeep: positiveInt(env.BACKUP_KEEP, 14, 'BACKUP_KEEP'),
		backupStepPages: positiveInt(env.BACKUP_STEP_PAGES, 256, 'BACKUP_STEP_PAGES'),
		// A short token is guessable; refusing it at start beats a quietly weak endpoint.
		metricsToken: readMetricsToken(env.METRICS_TOKEN),
		internal: readInternal(env, databaseUrl)
	};
}

function readInternal(env: NodeJS.ProcessEnv, databaseUrl: string | null): Config['internal'] {
	const url = env.YORIAI_INTERNAL_URL?.trim();
	const secret = env.YORIAI_INTERNAL_SECRET?.trim();
	if (!url && !secret) return null;
	if (!url || !secret)
		throw new Error('YORIAI_INTERNAL_URL and YORIAI_INTERNAL_SECRET go together (set both)');
	if (!databaseUrl)
		throw new Error('several processes need PostgreSQL: YORIAI_INTERNAL_URL needs DATABASE_URL');
	if (secret.length < 32) throw new Error('YORIAI_INTERNAL_SECRET must be at least 32 characters');
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		throw new Error(`YORIAI_INTERNAL_URL=${url} is not a URL`);
	}
	if (parsed.protocol !== 'http:' || !parsed.port)
		throw new Error('YORIAI_INTERNAL_URL must be http://host:port (a private address)');
	return { url: parsed, secret };
}

function readMetricsToken(value: string | undefined): string | null {
	if (!value) return null;
	if (value.length < 24) throw new Error('METRICS_TOKEN must be at least 24 characters');
	return value;
}

function whole(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
	const raw = env[name];
	if (raw === undefined || raw === '') return fallback;
	const n = Number(raw);
	if (!Number.isInteger(n) || n < min)
		throw new Error(`${name}=${raw} must be a whole number ≥ ${min}`);
	return n;
}
