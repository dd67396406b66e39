/**
 * The app on a phone over venue Wi-Fi (issue 12, "speed on a phone"): Chromium with 4× CPU
 * throttling (DevTools protocol), a 390×844 touch screen and an empty cache per page (a
 * participant who just scanned the QR code), reaching the server through a 1.6 Mbps down /
 * 750 kbps up, 150 ms round-trip link (board/slow-link.ts). For a 100- and a 250-card board,
 * three pages: the board, a dot-vote ballot over every card, and the revealed results of a
 * ranking vote over every card.
 *
 * The link is a proxy rather than Chromium's network emulation because that emulation does not
 * throttle WebSockets: through the proxy the socket is as slow as everything else, and its bytes
 * are counted. The proxy is also the stricter of the two (each new connection pays a round trip
 * for its handshake, and all connections share one link). `BENCH_PHONE_NETWORK=devtools` runs
 * the same visits under Chromium's emulation instead (the method issue 12 names), for comparison.
 *
 * Figures per page: bytes on the wire (encoded, headers included) by resource type, and the
 * socket's bytes both ways until interactive; the first card on screen (board and ballot: a
 * `[data-card-id]` element with a box; results: the results table); interactive (hydrated — and
 * on the board, the document synced over the socket and the status saying connected); the
 * largest single response.
 * Targets: the 250-card board interactive ≤ 3 s; no response over 100 KB on the wire.
 */
import { chromium, type Browser, type CDPSession } from '@playwright/test';
import { findChromium } from '../e2e/chromium.mjs';
import type { Figure } from './bench';
import { serve, type Served } from './board/served';
import { slowLink, type SlowLink } from './board/slow-link';

const SIZES = [100, 250] as const;
const PORT = Number(process.env.BENCH_PORT ?? 4895);
/** The slow link's port, in front of PORT. */
const LINK_PORT = PORT + 1;
const CONNECTED = '接続済み';
/** 1.6 Mbps down, 750 kbps up, 150 ms round trip: Chromium's "Slow 4G"-like venue Wi-Fi. */
const NETWORK = { downBytesPerS: 1_600_000 / 8, upBytesPerS: 750_000 / 8, rttMs: 150 };
/** The same profile in Chromium's own emulation (BENCH_PHONE_NETWORK=devtools). */
const DEVTOOLS = process.env.BENCH_PHONE_NETWORK === 'devtools';
const EMULATED = {
	offline: false,
	latency: NETWORK.rttMs,
	downloadThroughput: NETWORK.downBytesPerS,
	uploadThroughput: NETWORK.upBytesPerS
};
const CPU_SLOWDOWN = 4;
const KB = 1024;

/** Marks, in the page's own clock, when the first card (or results table) gets a box. */
const PROBE = `
	window.__phone = { first: 0 };
	const seen = () => {
		if (window.__phone.first) return true;
		const el = document.querySelector('[data-card-id], table.results');
		if (el && el.getBoundingClientRect().height > 0) {
			window.__phone.first = performance.now();
			return true;
		}
		return false;
	};
	const obs = new MutationObserver(() => { if (seen()) obs.disconnect(); });
	obs.observe(document, { subtree: true, childList: true });
`;

/** Opens votes through the app's own forms, as the facilitator's browser posts them. */
async function openVotes(
	served: Served,
	board: string
): Promise<{ dots: number; results: number }> {
	const post = async (path: string, form: Record<string, string>) => {
		const r = await fetch(`${served.url}${path}`, {
			method: 'POST',
			headers: {
				Cookie: served.cookie,
				Origin: served.origin,
				Accept: 'text/html',
				'Content-Type': 'application/x-www-form-urlencoded'
			},
			body: new URLSearchParams(form),
			redirect: 'manual'
		});
		if (r.status >= 400) throw new Error(`${path}: ${r.status}`);
		return r;
	};
	const open = async (form: Record<string, string>) => {
		const r = await post(`/boards/${board}/votes?/open`, {
			scope: 'all',
			anonymous: 'on',
			// The facilitator casts the ranking ballot below; facilitators do not vote by default.
			facilitators_vote: 'on',
			...form
		});
		const m = /\/votes\/(\d+)$/u.exec(r.headers.get('location') ?? '');
		if (!m) throw new Error('the vote did not open');
		return Number(m[1]);
	};
	const results = await open({ title: '順位', method: 'ranking', top_n: '5' });
	const page = await fetch(`${served.url}/boards/${board}/votes/${results}`, {
		headers: { Cookie: served.cookie }
	}).then((r) => r.text());
	const ids = [...new Set([...page.matchAll(/name="c\.([A-Za-z0-9_-]+)"/gu)].map((m) => m[1]!))];
	const ballot: Record<string, string> = {};
	ids.slice(0, 5).forEach((id, i) => (ballot[`c.${id}`] = String(i + 1)));
	await post(`/boards/${board}/votes/${results}?/cast`, ballot);
	await post(`/boards/${board}/votes/${results}?/close`, {});
	await post(`/boards/${board}/votes/${results}?/reveal`, {});
	const dots = await open({ title: 'ドット', method: 'dots', budget: '5', cap: '3' });
	return { dots, results };
}

interface Visit {
	bytes: Record<string, number>;
	/** WebSocket bytes both ways until interactive. */
	socket: number;
	largest: { url: string; bytes: number };
	first: number;
	interactive: number;
}

/** One cold visit of `path` under the phone profile. */
async function visit(
	browser: Browser,
	link: SlowLink,
	served: Served,
	path: string,
	live: boolean
): Promise<Visit> {
	const context = await browser.newContext({
		locale: 'ja-JP',
		viewport: { width: 390, height: 844 },
		deviceScaleFactor: 3,
		isMobile: true,
		hasTouch: true
	});
	const [name, value] = served.cookie.split('=') as [string, string];
	await context.addCookies([
		{ name, value, domain: 'localhost', path: '/', httpOnly: true, secure: true, sameSite: 'Lax' }
	]);
	await context.addInitScript({ content: PROBE });
	const page = await context.newPage();
	const cdp: CDPSession = await context.newCDPSession(page);
	await cdp.send('Network.enable');
	await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
	await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
	if (DEVTOOLS) await cdp.send('Network.emulateNetworkConditions', EMULATED);
	const types = new Map<string, { type: string; url: string }>();
	const bytes: Record<string, number> = {};
	let largest = { url: '', bytes: 0 };
	cdp.on('Network.responseReceived', (e) =>
		types.set(e.requestId, { type: e.type, url: e.response.url })
	);
	cdp.on('Network.loadingFinished', (e) => {
		const r = types.get(e.requestId);
		if (!r) return;
		bytes[r.type] = (bytes[r.type] ?? 0) + e.encodedDataLength;
		if (e.encodedDataLength > largest.bytes) largest = { url: r.url, bytes: e.encodedDataLength };
	});
	link.reset();
	await page.goto(`${DEVTOOLS ? served.url : link.url}${path}`, { waitUntil: 'commit' });
	const interactive = await page.waitForFunction(
		({ live, text }) => {
			if (!document.documentElement.dataset.hydrated) return false;
			// The board is interactive once its document has synced: the lanes then show the live
			// board (every card) instead of the server's outline, and the status says connected.
			if (
				live &&
				(!document.querySelector('.lanes[data-live="true"]') ||
					![...document.querySelectorAll('[role="status"]')].some((e) =>
						e.textContent?.includes(text)
					))
			)
				return false;
			return performance.now();
		},
		{ live, text: CONNECTED },
		{ polling: 'raf', timeout: 120_000 }
	);
	const at = (await interactive.jsonValue()) as number;
	const socket = link.socketBytes();
	const first = await page.evaluate(
		() => (window as unknown as { __phone: { first: number } }).__phone.first
	);
	await context.close();
	return { bytes, socket, largest, first, interactive: at };
}

export async function run(): Promise<Figure[]> {
	const served = await serve(SIZES, PORT, DEVTOOLS ? undefined : `http://localhost:${LINK_PORT}`);
	const link = await slowLink(LINK_PORT, { host: '127.0.0.1', port: PORT }, NETWORK);
	const browser = await chromium.launch({
		executablePath: findChromium() ?? undefined,
		args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking']
	});
	const figures: Figure[] = [];
	try {
		for (const n of SIZES) {
			const board = served.boards.get(n)!;
			const votes = await openVotes(served, board);
			const pages = [
				['board', `/boards/${board}`, true],
				['ballot', `/boards/${board}/votes/${votes.dots}`, false],
				['results', `/boards/${board}/votes/${votes.results}`, false]
			] as const;
			for (const [label, path, live] of pages) {
				// One untimed visit: the server has the board loaded, as in a running workshop.
				await fetch(`${served.url}${path}`, { headers: { Cookie: served.cookie } });
				const v = await visit(browser, link, served, path, live);
				const name = `${n} cards, ${label}`;
				for (const [type, b] of Object.entries(v.bytes).sort())
					figures.push({ name: `${name}: ${type} on the wire`, value: b / KB, unit: 'KB' });
				if (live && !DEVTOOLS)
					figures.push({
						name: `${name}: WebSocket on the wire`,
						value: v.socket / KB,
						unit: 'KB'
					});
				figures.push(
					{
						name: `${name}: largest response (${new URL(v.largest.url).pathname.slice(0, 40)})`,
						value: v.largest.bytes / KB,
						unit: 'KB',
						// The socket's sync is not a response; every HTTP response stays under 100 KB.
						max: 100
					},
					{
						name: `${name}: first ${label === 'results' ? 'results table' : 'card'} shown`,
						value: v.first,
						unit: 'ms'
					},
					{
						name: `${name}: interactive${live ? ' (socket synced)' : ' (hydrated)'}`,
						value: v.interactive,
						unit: 'ms',
						max: label === 'board' && n === 250 ? 3000 : undefined
					}
				);
			}
		}
	} finally {
		await browser.close();
		await link.close();
		await served.stop();
	}
	return figures;
}
