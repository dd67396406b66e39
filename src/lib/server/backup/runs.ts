import type { Db } from '../db/connect';

export interface BackupRunView {
	startedAt: number;
	finishedAt: number;
	ok: boolean;
	file: string;
	bytes: number;
	message: string;
}

/** Every backup, scheduled, asked for on /admin or from the command line, leaves one row. */
export async function recordBackupRun(db: Db, run: BackupRunView): Promise<void> {
	await db
		.insertInto('backup_runs')
		.values({
			started_at: run.startedAt,
			finished_at: run.finishedAt,
			ok: run.ok ? 1 : 0,
			file: run.file,
			bytes: run.bytes,
			message: run.message.slice(0, 500)
		})
		.execute();
}

export async function lastBackup(db: Db): Promise<BackupRunView | null> {
	const r = await db.selectFrom('backup_runs').selectAll().orderBy('id', 'desc').executeTakeFirst();
	return r
		? {
				startedAt: r.started_at,
				finishedAt: r.finished_at,
				ok: r.ok === 1,
				file: r.file,
				bytes: r.bytes,
				message: r.message
			}
		: null;
}

/** The newest backup that succeeded (for the backup-age metric). */
export async function lastGoodBackupAt(db: Db): Promise<number | null> {
	const r = await db
		.selectFrom('backup_runs')
		.select('finished_at')
		.where('ok', '=', 1)
		.orderBy('id', 'desc')
		.executeTakeFirst();
	return r?.finished_at ?? null;
}
