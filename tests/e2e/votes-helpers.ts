import type { Browser, BrowserContext, Page } from '@playwright/test';
import type { Sector } from '../../src/lib/domain/accounts/sectors';
import { E2E } from './env';
import { createUser, e2eDb, expect, open, signIn, type TestUser } from './fixtures';

/** Card titles of the vote board; the third one must come out of every export inert. */
export const TITLES = [
	'データ連携基盤の整備',
	'研究人材の育成',
	'=HYPERLINK("http://x","y")',
	'スタートアップ支援',
	'地域の大学との連携',
	'国際標準化への参画'
] as const;

/**
 * A board whose cards carry real library provenance (COCN proposals) under known titles, with
 * the given members; the first user is its facilitator.
 */
export async function voteBoard(
	facilitator: TestUser,
	members: [TestUser, 'participant' | 'observer'][]
): Promise<string> {
	const { createBoard } = await import('../../src/lib/server/boards/create');
	const { seedCardsFor } = await import('../../src/lib/server/boards/seed-cards');
	const { addMember } = await import('../../src/lib/server/boards/members');
	const db = e2eDb().db;
	const { cards } = await seedCardsFor(db, {
		type: 'report',
		slug: 'cocn-7th-basic-plan-2025',
		kinds: ['proposal']
	});
	const id = await createBoard(db, {
		title: '第 7 期基本計画ワークショップ',
		purpose: '',
		workshopDate: '2026-11-23',
		template: { type: 'report', slug: 'cocn-7th-basic-plan-2025', kinds: ['proposal'] },
		cards: TITLES.map((title, i) => ({ ...cards[i]!, title })),
		author: { id: facilitator.id, name: facilitator.displayName },
		now: Date.now()
	});
	for (const [u, role] of members)
		await addMember(db, id, { username: u.username, role, by: facilitator.id, now: Date.now() });
	return id;
}

export interface Person {
	user: TestUser;
	context: BrowserContext;
	page: Page;
	/** Every WebSocket frame this page received, as text. */
	frames: string[];
	/** Every page-data response body (`__data.json`) and HTML document this page loaded. */
	payloads: string[];
}

/** A signed-in browser context that records what reaches it over HTTP and WebSocket. */
export async function person(browser: Browser, name: string, sector: Sector): Promise<Person> {
	const user = await createUser(e2eDb().db, { displayName: name, sector });
	const context = await browser.newContext();
	await signIn(context, user, E2E.baseURL);
	const page = await context.newPage();
	const frames: string[] = [];
	const payloads: string[] = [];
	page.on('websocket', (ws) =>
		ws.on('framereceived', (f) =>
			frames.push(typeof f.payload === 'string' ? f.payload : f.payload.toString('latin1'))
		)
	);
	page.on('response', async (r) => {
		const url = r.url();
		const type = r.headers()['content-type'] ?? '';
		if (!url.includes('__data.json') && !type.startsWith('text/html')) return;
		try {
			payloads.push(await r.text());
		} catch {
			// A navigation away can discard a body before it is read; it was not shown either.
		}
	});
	return { user, context, page, frames, payloads };
}

/** Keys that exist only in tallies and ballots: none may reach a browser before reveal. */
export const TALLY_MARKERS = [
	'bySector',
	'supporters',
	'consensus',
	'division',
	'staleVotes',
	'wordingHash',
	'abstentions',
	'hiddenVoters'
];

export async function openVotePage(p: Person, boardId: string, sessionId: number) {
	await open(p.page, `/boards/${boardId}/votes/${sessionId}`);
	await expect(p.page.getByRole('heading', { level: 1 })).toBeVisible();
}

export const progress = (p: Person) => p.page.getByTestId('progress');

/** The facilitator opens a vote through the form; returns its id. */
export async function openVote(
	p: Person,
	boardId: string,
	title: string,
	method: RegExp,
	settings: Record<string, string> = {},
	options: { anonymous?: boolean; minGroup?: string } = {}
): Promise<number> {
	await open(p.page, `/boards/${boardId}/votes`);
	await p.page.getByLabel('投票の名前').fill(title);
	await p.page.getByRole('radio', { name: method }).check();
	for (const [label, value] of Object.entries(settings)) await p.page.getByLabel(label).fill(value);
	if (options.anonymous === false)
		await p.page.getByRole('checkbox', { name: /^匿名にする/u }).uncheck();
	if (options.minGroup) await p.page.getByLabel('結果を分ける最小人数').fill(options.minGroup);
	await p.page.getByRole('button', { name: '投票を開始する' }).click();
	await expect(p.page).toHaveURL(/\/votes\/\d+$/u);
	return Number(/\/votes\/(\d+)$/u.exec(p.page.url())![1]);
}

/** The facilitator closes and reveals a session from its page. */
export async function closeAndReveal(p: Person, boardId: string, sessionId: number) {
	await openVotePage(p, boardId, sessionId);
	await p.page.getByRole('button', { name: '投票を締め切る' }).click();
	await expect(
		p.page.getByRole('status').filter({ hasText: '投票を締め切りました' })
	).toBeVisible();
	await p.page.getByRole('button', { name: '結果を公開する' }).click();
	// The facilitator's private preview shows the results already: wait for the reveal itself.
	await expect(p.page.getByRole('status').filter({ hasText: '結果を公開しました' })).toBeVisible();
	await expect(p.page.getByRole('heading', { name: '結果', exact: true })).toBeVisible();
}

/** Rank and title of each row of the results table, best first. */
export async function ranking(page: Page): Promise<[string, string, string][]> {
	const rows = page.locator('table.results tbody tr');
	await expect(rows.first()).toBeVisible();
	return rows.evaluateAll((trs) =>
		trs.map((tr) => {
			const cells = tr.querySelectorAll('td, th');
			const total = tr.querySelector('.measure .value')?.textContent?.trim() ?? '';
			return [
				cells[0]?.textContent?.trim() ?? '',
				tr.querySelector('th .title')?.textContent?.trim() ?? '',
				total
			] as [string, string, string];
		})
	);
}

/** The card ids of a session, in ballot order (from the server's database). */
export async function sessionCards(sessionId: number): Promise<string[]> {
	const row = await e2eDb()
		.db.selectFrom('vote_sessions')
		.select('cards')
		.where('id', '=', sessionId)
		.executeTakeFirstOrThrow();
	return JSON.parse(row.cards) as string[];
}

/** A form post from this person's context, as their browser would send it without JavaScript. */
export function post(p: Person, path: string, form: Record<string, string>) {
	return p.context.request.post(path, {
		form,
		headers: { Origin: E2E.baseURL, Accept: 'text/html' },
		maxRedirects: 0
	});
}
