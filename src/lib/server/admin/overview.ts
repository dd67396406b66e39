import { statSync } from 'node:fs';
import { sql } from 'kysely';
import type { App } from '../app';
import { DAY } from '../auth/sessions';
import { lastBackup, type BackupRunView } from '../backup/runs';
import pkg from '../../../../package.json';

export interface Overview {
	users: { total: number; disabled: number; admins: number };
	boards: { total: number; activeDay: number; activeWeek: number };
	openSockets: number;
	loadedBoards: number;
	databaseBytes: number;
	lastBackup: BackupRunView | null;
	version: string;
}

/** What the realtime server reports about itself, read at the moment (see metrics/collab.ts). */
export interface LiveCounts {
	openSockets: number;
	loadedBoards: number;
}

/** The database file and its WAL: what a backup copies and the disk holds. */
export function databaseBytes(path: string): number {
	if (path === ':memory:') return 0;
	let total = 0;
	for (const f of [path, `${path}-wal`]) {
		try {
			total += statSync(f).size;
		} catch {
			// No WAL file between checkpoints is normal.
		}
	}
	return total;
}

/**
 * The instance at a glance. A board is active when its document changed (an update logged or a
 * snapshot written) or its audit log grew within the window.
 */
export async function overview(
	app: Pick<App, 'db' | 'config' | 'now' | 'database'>,
	live: LiveCounts
): Promise<Overview> {
	const { db } = app;
	const now = app.now();
	const users = await db
		.selectFrom('users')
		.select((eb) => [
			eb.fn.countAll<number>().as('total'),
			eb.fn.sum<number>(sql`case when disabled_at is not null then 1 else 0 end`).as('disabled'),
			eb.fn.sum<number>(sql`case when is_admin = 1 then 1 else 0 end`).as('admins')
		])
		.where('deleted_at', 'is', null)
		.executeTakeFirstOrThrow();
	const { total } = await db
		.selectFrom('boards')
		.select((eb) => eb.fn.countAll<number>().as('total'))
		.executeTakeFirstOrThrow();
	const activeSince = async (since: number) => {
		// The alias is required on PostgreSQL (before 16) and harmless on SQLite.
		const r = await sql<{ n: number }>`
			select count(*) as n from (
				select board_id from collab_updates where created_at >= ${since}
				union select board_id from collab_snapshots where updated_at >= ${since}
				union select board_id from board_audit where at >= ${since}
			) as active`.execute(db);
		return Number(r.rows[0]?.n ?? 0);
	};
	return {
		users: {
			total: Number(users.total),
			disabled: Number(users.disabled ?? 0),
			admins: Number(users.admins ?? 0)
		},
		boards: {
			total: Number(total),
			activeDay: await activeSince(now - DAY),
			activeWeek: await activeSince(now - 7 * DAY)
		},
		openSockets: live.openSockets,
		loadedBoards: live.loadedBoards,
		databaseBytes:
			app.database.dialect === 'sqlite'
				? databaseBytes(app.config.databasePath)
				: Number(
						(await sql<{ n: number }>`select pg_database_size(current_database()) as n`.execute(db))
							.rows[0]?.n ?? 0
					),
		lastBackup: await lastBackup(db),
		version: pkg.version
	};
}
