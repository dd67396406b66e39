// Run before the end-to-end suite: fails with the exact install command when no Chromium exists.
import { chromium } from '@playwright/test';
import { existsSync } from 'node:fs';
import { findChromium } from './chromium.mjs';

const found =
	findChromium() ?? (existsSync(chromium.executablePath()) ? chromium.executablePath() : null);
if (!found) {
	console.error(
		[
			'No Chromium found for the end-to-end tests.',
			'Install Debian’s Chromium and the Japanese fonts the pages need:',
			'  sudo apt-get update && sudo apt-get install -y chromium fonts-noto-cjk',
			'or point CHROMIUM_PATH at an existing Chromium binary.'
		].join('\n')
	);
	process.exit(1);
}
console.info(`end-to-end tests use ${found}`);
