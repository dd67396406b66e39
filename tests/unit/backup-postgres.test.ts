import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, test } from 'vitest';
import { readConfig } from '../../src/lib/server/config';
import { lastBackup } from '../../src/lib/server/backup/runs';
import { backupNow } from '../../src/lib/server/backup/service';
import {
	backupPostgres,
	restorePostgres,
	TargetNotEmptyError,
	verifyPgBackup
} from '../../src/lib/server/backup/postgres';
import { BackupInvalidError, listBackups } from '../../src/lib/server/backup/sqlite';
import { pgDb } from '../../src/lib/server/db/postgres';
import { createPgDatabase, dropPgDatabase, tempDb, TEST_DIALECT } from '../helpers/db';
import { createUser } from '../helpers/users';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
	for (const c of cleanups.splice(0).reverse()) await c();
});

function tempDir(): string {
	const dir = mkdtempSync(join(tmpdir(), 'yoriai-pg-backup-unit-'));
	cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
	return dir;
}

async function emptyDatabase(): Promise<string> {
	const name = `yoriai_pg_restore_${process.pid}_${randomBytes(4).toString('hex')}`;
	const url = await createPgDatabase(name);
	cleanups.push(() => dropPgDatabase(name));
	return url;
}

describe.skipIf(TEST_DIALECT !== 'postgres')('PostgreSQL backups (pg_dump / pg_restore)', () => {
	test('a backup is one verified dump named by UTC time; restored into an empty database it has the same rows', async () => {
		const t = await tempDb();
		cleanups.push(t.cleanup);
		const alice = await createUser(t.db);
		await createUser(t.db);
		const dir = tempDir();
		const at = Date.UTC(2026, 11, 3, 9, 15, 0, 123);
		const r = await backupPostgres(t.path, dir, { now: () => at });
		expect(r.file).toBe(join(dir, 'yoriai-20261203-091500-123.dump'));
		expect(r.counts.users).toBe(2);
		expect(readdirSync(dir)).toEqual(['yoriai-20261203-091500-123.dump']);
		expect(await verifyPgBackup(r.file)).toContain('users');
		await expect(backupPostgres(t.path, dir, { now: () => at })).rejects.toThrow(/already exists/u);

		const target = await emptyDatabase();
		const restored = await restorePostgres(r.file, target);
		expect(restored.counts).toEqual(r.counts);
		const h = pgDb(target, { poolSize: 1, statementTimeoutMs: 5_000, connectRetryMs: 0 });
		cleanups.push(() => h.db.destroy());
		const back = await h.db
			.selectFrom('users')
			.select(['username', 'password_hash'])
			.where('id', '=', alice.id)
			.executeTakeFirstOrThrow();
		expect(back.username).toBe(alice.username);
		expect(back.password_hash).toMatch(/^\$argon2id\$/u);
	});

	test('restore refuses a database in use (not empty) and files that are not Yoriai dumps, changing nothing', async () => {
		const t = await tempDb();
		cleanups.push(t.cleanup);
		await createUser(t.db);
		const dir = tempDir();
		const { file } = await backupPostgres(t.path, dir);
		await expect(restorePostgres(file, t.path)).rejects.toThrow(TargetNotEmptyError);
		const users = await t.db.selectFrom('users').select('id').execute();
		expect(users).toHaveLength(1);

		const junk = join(dir, 'junk.dump');
		writeFileSync(junk, 'not a dump, only text');
		const target = await emptyDatabase();
		await expect(restorePostgres(junk, target)).rejects.toThrow(BackupInvalidError);
		await expect(restorePostgres(join(dir, 'missing.dump'), target)).rejects.toThrow(
			/no such file/u
		);
		await expect(restorePostgres(`${file}.partial`, target)).rejects.toThrow(/unfinished/u);
	});

	test('the server-side backup writes a dump, keeps BACKUP_KEEP of them and records the run', async () => {
		const t = await tempDb();
		cleanups.push(t.cleanup);
		const dir = tempDir();
		const config = {
			...readConfig({ DATABASE_URL: t.path, BACKUP_DIR: dir, BACKUP_KEEP: '2' }),
			databaseUrl: t.path
		};
		let clock = Date.UTC(2026, 11, 3, 9, 0, 0);
		const app = { config, db: t.db, database: t.handle, now: () => clock };
		for (let i = 0; i < 3; i++) {
			clock += 60_000;
			const r = await backupNow(app, 'test');
			expect(r.ok).toBe(true);
		}
		expect(listBackups(dir, '.dump')).toHaveLength(2);
		const last = await lastBackup(t.db);
		expect(last?.ok).toBe(true);
		expect(last?.file).toMatch(/\.dump$/u);
	});
});
