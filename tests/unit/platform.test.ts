import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { afterEach, describe, expect, test } from 'vitest';
import { migrations } from '../../migrations/index';
import { NO_MIGRATIONS, sql } from 'kysely';
import { migrator } from '../../src/lib/server/db/migrate';
import { catalogues } from '../../src/lib/i18n/messages';
import { negotiateLocale, translator } from '../../src/lib/i18n/translate';
import { readConfig } from '../../src/lib/server/config';
import { tempDb } from '../helpers/db';
import { checkPgDatabase } from '../../src/lib/server/db/postgres';
import { TRANSACTION_LOCK_SQL } from '../../src/lib/server/db/locks';

let cleanup: (() => Promise<void>) | null = null;
afterEach(async () => {
	await cleanup?.();
	cleanup = null;
});

describe('database', () => {
	test('DUR-01 WAL, synchronous=FULL and foreign keys are on (SQLite); fsync, synchronous_commit, full_page_writes and a UTF-8 ctype (PostgreSQL)', async () => {
		const t = await tempDb();
		cleanup = t.cleanup;
		if (t.dialect === 'sqlite') {
			expect(t.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
			expect(t.sqlite.pragma('synchronous', { simple: true })).toBe(2);
			expect(t.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
			return;
		}
		const { rows } = await sql<{
			fsync: string;
			sc: string;
			fpw: string;
			ctype: string;
		}>`select current_setting('fsync') as fsync, current_setting('synchronous_commit') as sc,
			current_setting('full_page_writes') as fpw, datctype as ctype
			from pg_database where datname = current_database()`.execute(t.db);
		expect(rows[0]).toEqual({ fsync: 'on', sc: 'on', fpw: 'on', ctype: 'C.UTF-8' });
		// The start-up check passes on this database (it throws otherwise).
		await checkPgDatabase(t.db, t.path);
	});

	test('every migration file is registered, and all of them go down and up again', async () => {
		const files = readdirSync('migrations')
			.filter((f) => /^\d{14}_.+\.ts$/u.test(f))
			.map((f) => f.replace(/\.ts$/u, ''));
		expect(Object.keys(migrations).sort()).toEqual(files.sort());
		const t = await tempDb();
		cleanup = t.cleanup;
		const m = migrator(t.db);
		const down = await m.migrateTo(NO_MIGRATIONS);
		expect(down.error).toBeUndefined();
		const up = await m.migrateToLatest();
		expect(up.error).toBeUndefined();
		expect(up.results?.map((r) => r.status)).toEqual(files.map(() => 'Success'));
	});
});

describe('configuration', () => {
	test('defaults: port 3000, data/yoriai.db, origin http://localhost:3000', () => {
		const c = readConfig({});
		expect(c.port).toBe(3000);
		expect(c.databasePath.endsWith('data/yoriai.db')).toBe(true);
		expect(c.origin).toBe('http://localhost:3000');
	});

	test('bad values are refused with a message', () => {
		expect(() => readConfig({ PORT: 'eighty' })).toThrow(/PORT/u);
		expect(() => readConfig({ YORIAI_THROTTLE_SCALE: '0' })).toThrow(/THROTTLE/u);
	});
});

describe('messages', () => {
	test('the Japanese and English catalogues have the same keys and no empty text', () => {
		expect(Object.keys(catalogues.en).sort()).toEqual(Object.keys(catalogues.ja).sort());
		for (const cat of Object.values(catalogues))
			for (const [k, v] of Object.entries(cat)) expect(v.trim(), k).not.toBe('');
	});

	test('parameters format in both languages', () => {
		expect(translator('ja')('error.throttled', { seconds: 4 })).toContain('4 秒後');
		expect(translator('en')('error.throttled', { seconds: 4 })).toContain('in 4 seconds');
	});

	test('Japanese for ja browsers and by default, English for English browsers', () => {
		expect(negotiateLocale('ja,en-US;q=0.9')).toBe('ja');
		expect(negotiateLocale('en-US,en;q=0.9,ja;q=0.8')).toBe('en');
		expect(negotiateLocale('fr-FR,ja;q=0.5')).toBe('ja');
		expect(negotiateLocale('fr-FR')).toBe('en');
		expect(negotiateLocale(null)).toBe('ja');
	});
});

describe('transactions', () => {
	test('DUR-02 a read-then-write transaction waits for another process’s writer instead of failing', async () => {
		const t = await tempDb();
		cleanup = t.cleanup;
		// Another process holds the write lock for 400 ms and commits a row (on PostgreSQL, the
		// advisory lock every Yoriai transaction takes: src/lib/server/db/locks.ts).
		const script =
			t.dialect === 'sqlite'
				? `const db = new (require('better-sqlite3'))(process.argv[1], { timeout: 5000 });
				db.exec('begin immediate');
				db.prepare("insert into auth_events (kind, ip, at) values ('logout', 'other', 1)").run();
				console.log('locked');
				Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 400);
				db.exec('commit');`
				: `(async () => {
				const c = new (require('pg').Client)({ connectionString: process.argv[1] });
				await c.connect();
				await c.query('begin');
				await c.query(${JSON.stringify(TRANSACTION_LOCK_SQL)});
				await c.query("insert into auth_events (kind, ip, at) values ('logout', 'other', 1)");
				console.log('locked');
				await new Promise((r) => setTimeout(r, 400));
				await c.query('commit');
				await c.end();
				})();`;
		const child = spawn(process.execPath, ['-e', script, t.path], {
			stdio: ['ignore', 'pipe', 'inherit']
		});
		await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
		// Deferred, this would read an old snapshot and then fail with SQLITE_BUSY_SNAPSHOT.
		const inserted = await t.db.transaction().execute(async (trx) => {
			const before = await trx.selectFrom('auth_events').selectAll().execute();
			await trx
				.insertInto('auth_events')
				.values({ kind: 'logout', user_id: null, username_key: null, ip: 'me', at: 2 })
				.execute();
			return before.length;
		});
		await new Promise((resolve) => child.once('exit', resolve));
		expect(inserted).toBe(1);
		const rows = await t.db.selectFrom('auth_events').select('ip').orderBy('id').execute();
		expect(rows.map((r) => r.ip)).toEqual(['other', 'me']);
	});
});

describe('the run command', () => {
	test('`npm start` runs the file `npm run build` writes', async () => {
		const { readFileSync } = await import('node:fs');
		const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
			scripts: Record<string, string>;
		};
		const out = /--outfile=(\S+)/u.exec(pkg.scripts.build ?? '')?.[1];
		expect(out).toBeTruthy();
		expect(pkg.scripts.start).toBe(`node ${out}`);
	});
});
