import { resolve } from 'node:path';

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
	databasePath: string;
	/** The server secret's file (invite links are derived from it); kept apart from the database. */
	secretFile: string;
	/** Where the five source reports are, for seeding quotes' context. */
	reportsDir: string;
	/** Seed the library from `seeds/reports` at start (idempotent). */
	seedOnStart: boolean;
	/** Multiplies every login/registration backoff; tests shorten it, never production. */
	throttleScale: number;
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
	return {
		port,
		host: env.HOST ?? '0.0.0.0',
		origin,
		databasePath,
		secretFile: resolve(env.YORIAI_SECRET_FILE ?? `${databasePath}.secret`),
		reportsDir: resolve(env.YORIAI_REPORTS_DIR ?? '../shared/reports'),
		seedOnStart: env.YORIAI_SEED_ON_START !== '0',
		throttleScale
	};
}
