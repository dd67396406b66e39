import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterEach, describe, expect, test } from 'vitest';
import { closeApp, openApp, type App } from '../../src/lib/server/app';
import { readConfig } from '../../src/lib/server/config';
import { PROCESS_LOCK_NAMESPACE, STARTUP_LOCK_KEY } from '../../src/lib/server/db/locks';
import { migrations } from '../../migrations/index';
import { seedLibraryAtStart } from '../../src/lib/server/reports/seed';
import { createPgDatabase, dropPgDatabase, TEST_DIALECT } from '../helpers/db';

/**
 * Start-up on PostgreSQL with several processes (issue 15, layer 1): migrations and the library
 * seed run one process at a time under an advisory lock, so N processes starting together on a
 * new database migrate and seed it once. (SQLite keeps its one-process file lock: process-lock.)
 */
describe.skipIf(TEST_DIALECT !== 'postgres')('start-up of several processes on PostgreSQL', () => {
	const cleanups: (() => Promise<void>)[] = [];
	afterEach(async () => {
		for (const fn of cleanups.splice(0).reverse()) await fn();
	});

	async function freshDatabase(): Promise<string> {
		const name = `yoriai_pg_t_start_${randomBytes(4).toString('hex')}`;
		const url = await createPgDatabase(name);
		cleanups.push(() => dropPgDatabase(name));
		return url;
	}

	function configFor(url: string) {
		const dir = mkdtempSync(join(tmpdir(), 'yoriai-start-'));
		cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
		return {
			...readConfig({ DATABASE_URL: url, YORIAI_SECRET_FILE: join(dir, 'secret') }),
			databaseUrl: url
		};
	}

	async function start(url: string): Promise<App> {
		const app = await openApp(configFor(url));
		cleanups.push(() => closeApp(app));
		return app;
	}

	test('three processes starting together migrate once and seed once', async () => {
		const url = await freshDatabase();
		const apps = await Promise.all([start(url), start(url), start(url)]);
		const applied = await apps[0]!.db
			.selectFrom('kysely_migration' as never)
			.select('name' as never)
			.execute();
		expect(applied).toHaveLength(Object.keys(migrations).length);
		// One after another: the first inserts the library, the others find it all in place.
		const counts = await Promise.all(apps.map((a) => seedLibraryAtStart(a)));
		const inserting = counts.filter((c) => (c?.inserted ?? 0) > 0);
		expect(inserting).toHaveLength(1);
		for (const c of counts.filter((c) => c !== inserting[0]))
			expect(c).toMatchObject({ inserted: 0, updated: 0, retired: 0 });
		expect(inserting[0]!.unchanged).toBe(0);
	});

	test('a process starting while another holds the start-up lock waits for it', async () => {
		const url = await freshDatabase();
		const holder = new pg.Client({ connectionString: url });
		await holder.connect();
		cleanups.push(() => holder.end());
		await holder.query('select pg_advisory_lock($1, $2)', [
			PROCESS_LOCK_NAMESPACE,
			STARTUP_LOCK_KEY
		]);
		let opened = false;
		const starting = start(url).then((app) => {
			opened = true;
			return app;
		});
		await new Promise((r) => setTimeout(r, 700));
		expect(opened).toBe(false);
		// Nothing was migrated while the lock was held elsewhere.
		const { rows } = await holder.query("select to_regclass('kysely_migration') as t");
		expect(rows[0].t).toBeNull();
		await holder.query('select pg_advisory_unlock($1, $2)', [
			PROCESS_LOCK_NAMESPACE,
			STARTUP_LOCK_KEY
		]);
		await starting;
		expect(opened).toBe(true);
	});
});
