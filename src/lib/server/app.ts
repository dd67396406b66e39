import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Phase } from '../domain/board/facilitation';
import type { BoardRole } from '../domain/board/roles';
import type { Config } from './config';
import type { Db } from './db/connect';
import { openDatabase, type DbHandle } from './db/open';
import { migrateToLatest } from './db/migrate';
import { underStartupLock } from './db/startup-lock';
import { lockDatabase, type ProcessLock } from './db/process-lock';
import { warmDummyHash } from './auth/password';
import { loadServerSecret } from './auth/server-secret';
import { createAuthThrottles, type AuthThrottles } from './auth/throttle';
import { EventListener } from './events/listener';

/**
 * Things that happen in HTTP handlers which long-lived connections must react to. Announced
 * through events/announce.ts (never emitted directly), which on PostgreSQL also tells every other
 * process (events/listener.ts).
 */
export interface AppEvents {
	/** These sessions no longer exist (logout, password change, revocation): close their sockets. */
	'sessions-revoked': [sessionIds: string[]];
	/** A member's role on a board changed or they were removed (role null): re-check their sockets. */
	'membership-changed': [change: { boardId: string; userId: number; role: BoardRole | null }];
	/** A board's phase or lock changed: open connections must apply the new rules at once. */
	'facilitation-changed': [change: { boardId: string; phase: Phase; locked: boolean }];
	/**
	 * Events from other processes may have been missed (the listener's connection was lost and is
	 * back): re-check every socket and rule against the database. Local to one process.
	 */
	resync: [];
}

/**
 * Everything one running Yoriai holds: configuration, the database, throttles, and an event bus
 * between the HTTP side and the realtime side.
 *
 * It lives on `globalThis` under a registered symbol because two bundles run in one process —
 * SvelteKit's server build and the Node entry in `server/` (in development, Vite's module graph
 * and the Vite plugin) — and each would otherwise get its own copy of every module-level value.
 */
export interface App {
	config: Config;
	db: Db;
	/** The database behind `db`: SQLite's raw connection (pragmas, backups) or PostgreSQL's pool. */
	database: DbHandle;
	throttles: AuthThrottles;
	/** The server secret (`loadServerSecret`): invite links are HMACs under it. */
	secret: Uint8Array;
	events: EventEmitter<AppEvents>;
	/** The clock every domain function is given, so tests can move time. */
	now: () => number;
	/** This process's hold on the database file (none in memory, nor in apps tests build by hand). */
	lock?: ProcessLock;
	/** On PostgreSQL: hears the other processes' events and re-emits them on `events`. */
	listener?: EventListener;
	/** Which process announced an event (its listener skips its own); the listener's id. */
	processId?: string;
}

const KEY = Symbol.for('yoriai.app');

type Holder = { [KEY]?: App };

/**
 * Opens the database for this process alone — throwing DatabaseInUseError when another Yoriai
 * process serves the same file (the realtime log assumes one writer) — and migrates it (on
 * PostgreSQL, one process at a time: db/startup-lock.ts).
 */
export async function openApp(config: Config): Promise<App> {
	// One process per SQLite file (process-lock.ts). On PostgreSQL each board's realtime log is
	// owned through an advisory lock instead (collab/pg-log-writer.ts).
	const lock =
		config.databaseUrl || config.databasePath === ':memory:'
			? undefined
			: lockDatabase(config.databasePath, 'server');
	let handle: DbHandle | null = null;
	let secret: Uint8Array;
	try {
		// On PostgreSQL nothing else creates the folder the secret file goes in.
		mkdirSync(dirname(config.secretFile), { recursive: true });
		secret = loadServerSecret(config.secretFile);
		handle = await openDatabase(config);
		// N processes on one PostgreSQL database migrate once (startup-lock.ts).
		const h = handle;
		await underStartupLock(h, () => migrateToLatest(h.db));
		await warmDummyHash();
	} catch (e) {
		await handle?.db.destroy();
		lock?.release();
		throw e;
	}
	const events = new EventEmitter<AppEvents>();
	// N processes on one PostgreSQL database hear each other's events (issue 15).
	const listener = handle.dialect === 'postgres' ? new EventListener(handle, events) : undefined;
	const app: App = {
		config,
		db: handle.db,
		database: handle,
		// On PostgreSQL shared by every process (auth/shared-throttle.ts).
		throttles: createAuthThrottles(
			config.throttleScale,
			handle.dialect === 'postgres' ? handle.db : undefined
		),
		secret,
		events,
		now: () => Date.now(),
		...(lock ? { lock } : {}),
		...(listener ? { listener, processId: listener.processId } : {})
	};
	(globalThis as Holder)[KEY] = app;
	return app;
}

export function getApp(): App {
	const app = (globalThis as Holder)[KEY];
	if (!app) throw new Error('Yoriai was not started through server/main.ts or `npm run dev`');
	return app;
}

export async function closeApp(app: App): Promise<void> {
	await app.listener?.close();
	await app.db.destroy();
	app.lock?.release();
	if ((globalThis as Holder)[KEY] === app) delete (globalThis as Holder)[KEY];
}
