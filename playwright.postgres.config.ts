import { defineConfig, devices } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { findChromium } from './tests/e2e/chromium.mjs';

/**
 * The end-to-end journeys once more with the server on PostgreSQL (issue 14): sign-up and
 * sign-in, library search, co-editing a board (and the SIGKILL durability test), votes with
 * their secrecy, exports, the administration pages (whose instance-policy tests start a
 * server of their own, on a PostgreSQL database of their own), and importing a report (with
 * and without JavaScript). `npm test` runs it when a
 * PostgreSQL server answers at TEST_DATABASE_URL (tests/e2e/postgres.mjs); each run starts on a
 * fresh database.
 */
// 50 above the SQLite run's port, so both can run at once. Workers load this config again with
// the environment set here, hence the remembered value.
process.env.E2E_PG_PORT ??= String(Number(process.env.E2E_PORT ?? 4173) + 50);
const port = Number(process.env.E2E_PG_PORT);
process.env.E2E_PORT = String(port);
const admin = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const name = `yoriai_pg_e2e_${port}`;
const url = new URL(admin);
url.pathname = `/${name}`;
process.env.E2E_DATABASE_URL = url.toString();

// Imported after E2E_PORT is set: env.ts reads it once.
const { E2E } = await import('./tests/e2e/env');

// Only the main process starts from scratch (the config is loaded again in each worker).
if (!process.env.TEST_WORKER_INDEX) {
	rmSync(E2E.dataDir, { recursive: true, force: true });
	mkdirSync(E2E.dataDir, { recursive: true });
	execFileSync(
		process.execPath,
		[
			'-e',
			`const pg = require('pg');
			(async () => {
				const c = new pg.Client({ connectionString: process.argv[1] });
				await c.connect();
				await c.query('drop database if exists "${name}" with (force)');
				await c.query("create database \\"${name}\\" template template0 encoding 'UTF8' lc_ctype 'C.UTF-8' lc_collate 'C.UTF-8'");
				await c.end();
			})().catch((e) => { console.error(e.message); process.exit(1); });`,
			admin
		],
		{ stdio: 'inherit' }
	);
}

const executablePath = findChromium() ?? undefined;
const launchOptions = {
	executablePath,
	args: [
		'--no-sandbox',
		'--disable-gpu',
		'--disable-background-networking',
		'--disable-component-update',
		'--disable-sync'
	]
};

const journeys =
	/(auth-forms|library|boards|collab-crash|votes|votes-nojs|outcomes|record|prepared-vote|admin)\.test\.ts/;

export default defineConfig({
	testDir: 'tests/e2e',
	fullyParallel: false,
	workers: 2,
	retries: 0,
	timeout: 30_000,
	reporter: [['list']],
	use: { baseURL: E2E.baseURL, trace: 'retain-on-failure', launchOptions, locale: 'ja-JP' },
	webServer: [
		{
			command: 'node build-server/main.js',
			url: `http://localhost:${E2E.port}/healthz`,
			reuseExistingServer: false,
			timeout: 60_000,
			stdout: 'ignore' as const,
			env: {
				PORT: String(E2E.port),
				HOST: '127.0.0.1',
				DATABASE_URL: E2E.databaseUrl!,
				// Where the tests' own invites find the server secret (fixtures.ts, e2eSecret).
				YORIAI_SECRET_FILE: join(E2E.dataDir, 'main.db.secret')
			}
		}
	],
	projects: [
		{
			name: 'postgres-js',
			use: { ...devices['Desktop Chrome'], launchOptions },
			testMatch: journeys
		},
		{
			name: 'postgres-nojs',
			use: { ...devices['Desktop Chrome'], launchOptions, javaScriptEnabled: false },
			testMatch: /(auth-forms|library)\.test\.ts/
		},
		// Importing a report publishes a report into the library the journeys above read: after them.
		{
			name: 'postgres-import',
			use: { ...devices['Desktop Chrome'], launchOptions },
			testMatch: /import-(report|limits|curators)\.test\.ts/,
			dependencies: ['postgres-js', 'postgres-nojs']
		},
		{
			name: 'postgres-import-nojs',
			use: { ...devices['Desktop Chrome'], launchOptions, javaScriptEnabled: false },
			testMatch: /import-nojs\.test\.ts/,
			dependencies: ['postgres-js', 'postgres-nojs']
		}
	]
});
