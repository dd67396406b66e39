/**
 * The board in a browser (issue 10, "speed and memory"): Playwright's Chromium (/usr/bin/chromium
 * or CHROMIUM_PATH) against the built server, signed in, opening a 100-card and a 500-card board.
 * Figures per board, in ms from the start of navigation: the first lane on screen (a
 * `[data-lane-id]` element with a box, observed in the page), interactive (the realtime status
 * says connected, i.e. the socket has synced), the JS heap after a GC, and the time from a
 * keyboard move (Space on the first card, → to carry it to the next lane, Space) to the card
 * showing in that lane — measured in the page from the last key pressed before it shows.
 * Targets (issue 10): first lane ≤ 1 s, a move shown ≤ 100 ms.
 * The page's markup is found by `data-lane-id` / `data-card-id` only, so the bench survives
 * changes to the board's components.
 */
import { chromium, type Page } from '@playwright/test';
import { loadavg } from 'node:os';
import { findChromium } from '../e2e/chromium.mjs';
import type { Figure } from './bench';
import { serve } from './board/served';

const SIZES = [100, 500] as const;
const PORT = Number(process.env.BENCH_PORT ?? 4795);
const CONNECTED = '接続済み';

/**
 * Records, from the first script on, when the first lane gets a box and every key pressed. In-page
 * code is kept as source text: the TypeScript loader would add helpers the page does not have.
 */
const PROBE = `
	window.__bench = { lane: 0, keys: [] };
	addEventListener('keydown', () => window.__bench.keys.push(performance.now()), true);
	const check = () => {
		if (window.__bench.lane) return true;
		const lane = document.querySelector('[data-lane-id]');
		if (lane && lane.getBoundingClientRect().height > 0) {
			window.__bench.lane = performance.now();
			return true;
		}
		return false;
	};
	const obs = new MutationObserver(() => { if (check()) obs.disconnect(); });
	obs.observe(document, { subtree: true, childList: true });
`;

/** Resolves with the time the card shows in the lane (after a frame), NaN after 5 s. */
const SHOWN = (cardId: string, to: string) => `new Promise((resolve) => {
	const sel = '[data-lane-id="${to}"] [data-card-id="${cardId}"]';
	const done = () => requestAnimationFrame(() => resolve(performance.now()));
	if (document.querySelector(sel)) return done();
	const obs = new MutationObserver(() => {
		if (!document.querySelector(sel)) return;
		obs.disconnect();
		done();
	});
	obs.observe(document.body, { subtree: true, childList: true, attributes: true });
	setTimeout(() => resolve(NaN), 5000);
})`;

async function heapMiB(page: Page): Promise<number> {
	const cdp = await page.context().newCDPSession(page);
	await cdp.send('HeapProfiler.collectGarbage');
	const { usedSize } = await cdp.send('Runtime.getHeapUsage');
	await cdp.detach();
	return usedSize / 2 ** 20;
}

/** Space, →, Space on the first card of the first lane; ms from the last key to the card shown. */
async function keyboardMove(page: Page): Promise<number> {
	const { cardId, to } = await page.evaluate(() => {
		const lanes = [...document.querySelectorAll<HTMLElement>('[data-lane-id]')];
		const from = lanes.find((l) => l.querySelector('[data-card-id]'));
		const next = from ? lanes[lanes.indexOf(from) + 1] : undefined;
		const card = from?.querySelector<HTMLElement>('[data-card-id]');
		if (!card || !next) throw new Error('no card with a lane to its right');
		// The card's own keyboard handle: its title button, or the focusable item around it.
		const handle =
			card.querySelector<HTMLElement>('button.title') ??
			card.closest<HTMLElement>('[tabindex="0"]') ??
			card.querySelector<HTMLElement>('button') ??
			card;
		handle.focus();
		return { cardId: card.dataset.cardId as string, to: next.dataset.laneId as string };
	});
	const shown = page.evaluate<number>(SHOWN(cardId, to));
	await page.keyboard.press('Space');
	await page.keyboard.press('ArrowRight');
	await page.keyboard.press('Space');
	const at = await shown;
	if (Number.isNaN(at)) return Number.NaN;
	const keys = await page.evaluate(
		() => (window as unknown as { __bench: { keys: number[] } }).__bench.keys
	);
	const last = keys.filter((k) => k <= at).at(-1);
	return last === undefined ? Number.NaN : at - last;
}

export async function run(): Promise<Figure[]> {
	const served = await serve(SIZES, PORT);
	const browser = await chromium.launch({
		executablePath: findChromium() ?? undefined,
		args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking']
	});
	const figures: Figure[] = [];
	try {
		for (const n of SIZES) {
			const context = await browser.newContext({
				locale: 'ja-JP',
				viewport: { width: 1366, height: 768 }
			});
			const [name, value] = served.cookie.split('=') as [string, string];
			await context.addCookies([
				{
					name,
					value,
					domain: 'localhost',
					path: '/',
					httpOnly: true,
					secure: true,
					sameSite: 'Lax'
				}
			]);
			await context.addInitScript({ content: PROBE });
			const page = await context.newPage();
			const url = `${served.url}/boards/${served.boards.get(n)}`;
			// One untimed visit: the server has the board loaded and compiled, the browser its code.
			await page.goto(url);
			await page.goto('about:blank');
			await page.goto(url, { waitUntil: 'commit' });
			const interactive = await page.waitForFunction(
				(text) =>
					[...document.querySelectorAll('[role="status"]')].some((e) =>
						e.textContent?.includes(text)
					)
						? performance.now()
						: false,
				CONNECTED,
				{ polling: 'raf', timeout: 60_000 }
			);
			const lane = await page.evaluate(
				() => (window as unknown as { __bench: { lane: number } }).__bench.lane
			);
			const label = `${n}-card board`;
			figures.push(
				{ name: `${label}: first lane shown`, value: lane, unit: 'ms', max: 1000 },
				{
					name: `${label}: interactive (socket synced)`,
					value: (await interactive.jsonValue()) as number,
					unit: 'ms'
				},
				{ name: `${label}: JS heap after GC`, value: await heapMiB(page), unit: 'MiB' },
				{
					name: `${label}: keyboard move shown (NaN: not across lanes)`,
					value: await keyboardMove(page),
					unit: 'ms',
					max: 100
				}
			);
			await context.close();
		}
	} finally {
		await browser.close();
		await served.stop();
	}
	figures.push({ name: 'load average (1 min) at the end', value: loadavg()[0] ?? 0, unit: '' });
	return figures;
}
