import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { readConfig } from '../../src/lib/server/config';
import { lastBackup } from '../../src/lib/server/backup/runs';
import {
	backupNow,
	startBackupSchedule,
	stopBackupSchedule
} from '../../src/lib/server/backup/service';
import {
	BackupInvalidError,
	backupName,
	backupSqlite,
	listBackups,
	pruneBackups,
	verifyBackup
} from '../../src/lib/server/backup/sqlite';
import { tempDb } from '../helpers/db';
import { createUser } from '../helpers/users';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
	for (const c of cleanups.splice(0)) await c();
});

function tempDir(): string {
	const dir = mkdtempSync(join(tmpdir(), 'yoriai-backup-unit-'));
	cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
	return dir;
}

describe('SQLite backups', () => {
	test('a backup is one verified file named by UTC time, with the rows of the live database', async () => {
		const t = await tempDb();
		cleanups.push(t.cleanup);
		await createUser(t.db);
		await createUser(t.db);
		const dir = tempDir();
		const at = Date.UTC(2026, 11, 3, 9, 15, 0, 123);
		const r = await backupSqlite(t.sqlite, dir, { stepPages: 2, now: () => at });
		expect(r.file).toBe(join(dir, 'yoriai-20261203-091500-123.db'));
		expect(r.counts.users).toBe(2);
		expect(existsSync(`${r.file}-wal`)).toBe(false);
		expect(readdirSync(dir)).toEqual(['yoriai-20261203-091500-123.db']);
		expect(verifyBackup(r.file).users).toBe(2);
		// The same moment twice never overwrites a backup.
		await expect(backupSqlite(t.sqlite, dir, { now: () => at })).rejects.toThrow(/already exists/u);
	});

	test('verification refuses what is not a Yoriai backup', () => {
		const dir = tempDir();
		const junk = join(dir, 'junk.db');
		writeFileSync(junk, 'not a database at all, just text');
		expect(() => verifyBackup(junk)).toThrow(BackupInvalidError);
		expect(() => verifyBackup(join(dir, 'missing.db'))).toThrow(/no such file/u);
	});

	test('pruning keeps the newest backups and sweeps unfinished ones', () => {
		const dir = tempDir();
		const names = [1, 2, 3, 4].map((i) => backupName(Date.UTC(2026, 0, i)));
		for (const n of names) writeFileSync(join(dir, n), '');
		writeFileSync(join(dir, `${backupName(Date.UTC(2026, 0, 5))}.partial`), '');
		writeFileSync(join(dir, 'notes.txt'), 'kept');
		pruneBackups(dir, 2);
		expect(listBackups(dir)).toEqual(names.slice(2).map((n) => join(dir, n)));
		expect(readdirSync(dir).sort()).toEqual([...names.slice(2), 'notes.txt'].sort());
	});

	test('the schedule backs up every BACKUP_INTERVAL and keeps BACKUP_KEEP backups', async () => {
		const t = await tempDb();
		cleanups.push(t.cleanup);
		const dir = tempDir();
		const config = {
			...readConfig({
				DATABASE_PATH: t.path,
				BACKUP_DIR: dir,
				BACKUP_INTERVAL: '1m',
				BACKUP_KEEP: '2'
			}),
			databasePath: t.path
		};
		// Only the schedule's interval is faked: the backups themselves run on real I/O.
		vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
		cleanups.push(() => {
			stopBackupSchedule();
			vi.useRealTimers();
		});
		let clock = Date.now();
		startBackupSchedule({
			config,
			db: t.db,
			database: { dialect: 'sqlite', db: t.db, sqlite: t.sqlite },
			// Backups are named by this clock: a minute apart, as the interval says.
			now: () => clock
		});
		expect(listBackups(dir)).toHaveLength(0);
		for (const expected of [1, 2, 2]) {
			const before = (await lastBackup(t.db))?.startedAt ?? 0;
			clock += 60_000;
			vi.advanceTimersByTime(60_000);
			await expect
				.poll(async () => (await lastBackup(t.db))?.startedAt ?? 0)
				.toBeGreaterThan(before);
			expect((await lastBackup(t.db))?.ok).toBe(true);
			expect(listBackups(dir)).toHaveLength(expected);
		}
	});

	test('a failing scheduled backup is recorded as failed with its reason, not thrown', async () => {
		const t = await tempDb();
		cleanups.push(t.cleanup);
		const dir = tempDir();
		// A file where the folder should be: mkdir fails.
		const blocked = join(dir, 'file');
		writeFileSync(blocked, '');
		const config = {
			...readConfig({ DATABASE_PATH: t.path, BACKUP_DIR: join(blocked, 'sub') }),
			databasePath: t.path
		};
		const r = await backupNow(
			{
				config,
				db: t.db,
				database: { dialect: 'sqlite', db: t.db, sqlite: t.sqlite },
				now: () => Date.now()
			},
			'test'
		);
		expect(r.ok).toBe(false);
		const last = await lastBackup(t.db);
		expect(last?.ok).toBe(false);
		expect(last?.message).toMatch(/ENOTDIR|EEXIST|not a directory/iu);
		const none = await backupNow(
			{
				config: { ...config, backupDir: null },
				db: t.db,
				database: { dialect: 'sqlite', db: t.db, sqlite: t.sqlite },
				now: () => Date.now()
			},
			'test'
		);
		expect(none).toEqual({ ok: false, problem: 'not_configured' });
	});

	test('configuration: durations, keep counts and a metrics token long enough to be a secret', () => {
		expect(readConfig({ BACKUP_INTERVAL: '6h' }).backupIntervalMs).toBe(6 * 3_600_000);
		expect(readConfig({ BACKUP_INTERVAL: '90' }).backupIntervalMs).toBe(90_000);
		expect(() => readConfig({ BACKUP_INTERVAL: '10s' })).toThrow(/shorter than a minute/u);
		expect(() => readConfig({ BACKUP_INTERVAL: 'daily' })).toThrow(/not a duration/u);
		expect(() => readConfig({ BACKUP_KEEP: '0' })).toThrow(/BACKUP_KEEP/u);
		expect(() => readConfig({ METRICS_TOKEN: 'short' })).toThrow(/24 characters/u);
		expect(readConfig({}).backupDir).toBeNull();
	});
});
