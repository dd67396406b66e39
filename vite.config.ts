import { sveltekit } from '@sveltejs/kit/vite';
import type { Plugin } from 'vite';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

/**
 * `npm run dev` behaves like the production server: the same app context (database, migrations)
 * and the same WebSocket upgrade handler, attached to Vite's own HTTP server.
 */
function yoriaiServer(): Plugin {
	return {
		name: 'yoriai-server',
		// Only for the dev server: Vitest also runs Vite in serve mode, and must not open ./data.
		apply: (_config, env) => env.command === 'serve' && !process.env.VITEST,
		async configureServer(server) {
			const { readConfig } = await import('./src/lib/server/config');
			const { openApp } = await import('./src/lib/server/app');
			const { handleUpgrade, refusePlainCollabRequest } =
				await import('./src/lib/server/http/upgrade');
			const { seedLibraryAtStart } = await import('./src/lib/server/reports/seed');
			const { bodyLimit, bodyLimits } = await import('./src/lib/server/http/body-limit');
			const app = await openApp(readConfig());
			await seedLibraryAtStart(app);
			server.httpServer?.on('upgrade', (req, socket, head) => {
				// Vite's HMR socket shares this server; leave its upgrades alone.
				if (req.headers['sec-websocket-protocol']?.includes('vite-hmr')) return;
				handleUpgrade(app, req, socket, head);
			});
			server.middlewares.use((req, res, next) => {
				if (!refusePlainCollabRequest(req, res)) next();
			});
			// SvelteKit's dev server reads bodies without a limit: the production limits apply here too.
			server.middlewares.use(bodyLimit(bodyLimits(process.env)));
		}
	};
}

/**
 * The unit suite runs twice: on SQLite, and on PostgreSQL when a server answers at
 * TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres; tests/helpers/db.ts
 * creates a database per test file there). When none answers, the postgres project is left out
 * and the run says so — it never counts as passed.
 */
async function unitProjects(): Promise<TestProjectInlineConfiguration[]> {
	const sqlite: TestProjectInlineConfiguration = {
		extends: true,
		test: { name: 'sqlite', env: { YORIAI_TEST_DB: 'sqlite' } }
	};
	const postgres: TestProjectInlineConfiguration = {
		extends: true,
		test: {
			name: 'postgres',
			env: { YORIAI_TEST_DB: 'postgres' },
			// Tests of SQLite itself (its file lock, its pragmas, its online backup).
			exclude: ['tests/unit/process-lock.test.ts', 'tests/unit/backup.test.ts']
		}
	};
	const { pgTestServer } = await import('./tests/helpers/pg-probe');
	const probe = await pgTestServer();
	if (probe.ok) return [sqlite, postgres];
	// CI (.ci/run) sets up PostgreSQL and asks for every suite: a missing server is a failure there.
	if (process.env.YORIAI_TEST_EVERYTHING === '1') throw new Error(probe.message);
	console.warn(`\n${probe.message}\n`);
	return [sqlite];
}

export default defineConfig(async () => ({
	plugins: [yoriaiServer(), sveltekit()],
	server: { port: 3000, strictPort: true },
	test: {
		include: ['tests/unit/**/*.test.ts'],
		environment: 'node',
		testTimeout: 20_000,
		projects: process.env.VITEST ? await unitProjects() : undefined
	}
}));
