import { defineConfig, devices } from '@playwright/test';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { findChromium } from './tests/e2e/chromium.mjs';
import { E2E } from './tests/e2e/env';

const executablePath = findChromium() ?? undefined;
const launchOptions = {
	executablePath,
	// This machine has no network beyond loopback: keep Chromium from calling home.
	args: [
		'--no-sandbox',
		'--disable-gpu',
		'--disable-background-networking',
		'--disable-component-update',
		'--disable-sync'
	]
};

// Every run starts from empty databases (the config is loaded again in each worker: only the
// main process may clear them).
if (!process.env.TEST_WORKER_INDEX) {
	rmSync(E2E.dataDir, { recursive: true, force: true });
	mkdirSync(E2E.dataDir, { recursive: true });
}

/** A touch phone in Chromium (Playwright's phone presets are WebKit's or other sizes). */
const phone = {
	userAgent: devices['Pixel 7'].userAgent,
	deviceScaleFactor: 3,
	isMobile: true,
	hasTouch: true,
	launchOptions
};

const server = (port: number, db: string, extra: Record<string, string> = {}) => ({
	command: 'node build-server/main.js',
	url: `http://localhost:${port}/healthz`,
	reuseExistingServer: false,
	timeout: 60_000,
	stdout: 'ignore' as const,
	env: {
		PORT: String(port),
		HOST: '127.0.0.1',
		DATABASE_PATH: join(E2E.dataDir, db),
		...extra
	}
});

export default defineConfig({
	testDir: 'tests/e2e',
	fullyParallel: false,
	workers: 2,
	retries: 0,
	timeout: 30_000,
	reporter: process.env.CI ? [['list']] : [['list']],
	use: { baseURL: E2E.baseURL, trace: 'retain-on-failure', launchOptions, locale: 'ja-JP' },
	webServer: [server(E2E.port, 'main.db'), server(E2E.throttlePort, 'throttle.db')],
	projects: [
		{
			name: 'js',
			use: { ...devices['Desktop Chrome'], launchOptions },
			testIgnore: /(throttle|import-[a-z]+|phone-[a-z0-9-]+|cluster\/[a-z0-9-]+)\.test\.ts/
		},
		// Phones: a 390 px handset and the narrowest common one, touch only, in Chromium (the live
		// board's spotlight, timer and swipe on the 390 px one).
		{
			name: 'phone',
			use: { ...phone, viewport: { width: 390, height: 844 } },
			testMatch: /phone-(journey|a11y|live)\.test\.ts/
		},
		{
			name: 'phone-360',
			use: { ...phone, viewport: { width: 360, height: 740 } },
			testMatch: /phone-(journey|pages)\.test\.ts/
		},
		{
			name: 'nojs',
			use: { ...devices['Desktop Chrome'], launchOptions, javaScriptEnabled: false },
			testMatch: /(auth-forms|library)\.test\.ts/
		},
		// Publishing an imported report adds a sixth report to the shared library, which the
		// library journeys count: it runs once every project that reads the library has finished.
		{
			name: 'import',
			use: { ...devices['Desktop Chrome'], launchOptions },
			testMatch: /import-(report|limits|curators)\.test\.ts/,
			dependencies: ['js', 'nojs', 'phone', 'phone-360']
		},
		{
			name: 'import-nojs',
			use: { ...devices['Desktop Chrome'], launchOptions, javaScriptEnabled: false },
			testMatch: /import-nojs\.test\.ts/,
			dependencies: ['js', 'nojs', 'phone', 'phone-360']
		},
		{
			name: 'throttle',
			use: { ...devices['Desktop Chrome'], launchOptions, baseURL: E2E.throttleURL },
			testMatch: /throttle\.test\.ts/
		}
	]
});
