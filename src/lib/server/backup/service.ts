import type { App } from '../app';
import { logger } from '../log/logger';
import { recordBackupRun } from './runs';
import { backupPostgres, PG_BACKUP_SUFFIX } from './postgres';
import { BACKUP_SUFFIX, backupSqlite, pruneBackups, type BackupResult } from './sqlite';

type BackupApp = Pick<App, 'config' | 'db' | 'database' | 'now'>;

export type BackupOutcome =
	| { ok: true; result: BackupResult }
	| { ok: false; problem: 'not_configured' | 'running' | 'failed'; message?: string };

const KEY = Symbol.for('yoriai.backup');
type Holder = { [KEY]?: { running: boolean; timer: NodeJS.Timeout | null } };
/** Per process and shared by both bundles: one backup at a time, one schedule. */
const state = ((globalThis as Holder)[KEY] ??= { running: false, timer: null });

/**
 * One backup of the running server's database into BACKUP_DIR, then pruning to BACKUP_KEEP.
 * The result is recorded (the admin overview shows the latest); a failure is logged at `error`
 * level with the reason — a backup that silently stopped working is the failure that hurts.
 */
export async function backupNow(app: BackupApp, reason: string): Promise<BackupOutcome> {
	const { backupDir, backupKeep, backupStepPages } = app.config;
	if (!backupDir) return { ok: false, problem: 'not_configured' };
	if (state.running) return { ok: false, problem: 'running' };
	state.running = true;
	const startedAt = app.now();
	try {
		const database = app.database;
		const result =
			database.dialect === 'sqlite'
				? await backupSqlite(database.sqlite, backupDir, {
						stepPages: backupStepPages,
						now: app.now
					})
				: await backupPostgres(requireUrl(app), backupDir, { now: app.now });
		const suffix = database.dialect === 'sqlite' ? BACKUP_SUFFIX : PG_BACKUP_SUFFIX;
		const removed = pruneBackups(backupDir, backupKeep, suffix);
		await recordBackupRun(app.db, {
			startedAt,
			finishedAt: app.now(),
			ok: true,
			file: result.file,
			bytes: result.bytes,
			message: `${Object.keys(result.counts).length} tables verified`
		});
		logger.info(
			{ backup: result.file, bytes: result.bytes, ms: result.ms, reason, pruned: removed.length },
			'backup written and verified'
		);
		return { ok: true, result };
	} catch (e) {
		const message = e instanceof Error ? e.message : String(e);
		logger.error({ err: e, reason, dir: backupDir }, `BACKUP FAILED: ${message}`);
		await recordBackupRun(app.db, {
			startedAt,
			finishedAt: app.now(),
			ok: false,
			file: '',
			bytes: 0,
			message
		}).catch((err: unknown) => logger.error({ err }, 'could not record the failed backup'));
		return { ok: false, problem: 'failed', message };
	} finally {
		state.running = false;
	}
}

function requireUrl(app: BackupApp): string {
	if (!app.config.databaseUrl) throw new Error('a PostgreSQL instance without DATABASE_URL');
	return app.config.databaseUrl;
}

/** Starts the schedule (BACKUP_DIR and BACKUP_INTERVAL both set); the first run is one interval in. */
export function startBackupSchedule(app: BackupApp): void {
	const { backupDir, backupIntervalMs } = app.config;
	if (!backupDir || !backupIntervalMs || state.timer) return;
	state.timer = setInterval(() => void backupNow(app, 'scheduled'), backupIntervalMs);
	state.timer.unref();
	logger.info({ dir: backupDir, everyMs: backupIntervalMs }, 'scheduled backups on');
}

export function stopBackupSchedule(): void {
	if (state.timer) clearInterval(state.timer);
	state.timer = null;
}
