import { defineConfig, devices } from '@playwright/test';
import { findChromium } from './tests/e2e/chromium.mjs';
import { CLUSTER } from './tests/e2e/cluster/harness';

/**
 * Several processes behind a real load balancer (issue 15): nginx with round robin in front of
 * three built Yoriai processes on one PostgreSQL database, started by the global setup
 * (tests/e2e/cluster/harness.ts). `npm run build && npm run test:e2e:cluster` (the last step of
 * `npm test`), whose wrapper (tests/e2e/cluster.mjs) first fails with what to do when nginx
 * (/usr/sbin/nginx or NGINX_PATH), the build or TEST_DATABASE_URL's server is missing; ports
 * 5300–5303 unless E2E_CLUSTER_PORT says otherwise.
 */
const launchOptions = {
	executablePath: findChromium() ?? undefined,
	args: [
		'--no-sandbox',
		'--disable-gpu',
		'--disable-background-networking',
		'--disable-component-update',
		'--disable-sync'
	]
};

export default defineConfig({
	testDir: 'tests/e2e/cluster',
	testMatch: /\.test\.ts$/,
	globalSetup: './tests/e2e/cluster/harness.ts',
	// One worker: the tests share the three processes, and one of them kills an owner.
	workers: 1,
	fullyParallel: false,
	retries: 0,
	timeout: 60_000,
	reporter: [['list']],
	use: {
		...devices['Desktop Chrome'],
		baseURL: CLUSTER.baseURL,
		trace: 'retain-on-failure',
		launchOptions,
		locale: 'ja-JP'
	}
});
