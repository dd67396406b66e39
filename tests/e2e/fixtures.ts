import { readFileSync } from 'node:fs';
import { test as base, expect, type BrowserContext, type Page } from '@playwright/test';
import { join } from 'node:path';
import type * as Y from 'yjs';
import { createDb, type SqliteHandle } from '../../src/lib/server/db/connect';
import type { DbHandle } from '../../src/lib/server/db/open';
import { pgDb } from '../../src/lib/server/db/postgres';
import { createSession } from '../../src/lib/server/auth/sessions';
import { createUser, type TestUser } from '../helpers/users';
import { japanDate } from '../../src/lib/domain/decisions/due';
import { CollabStore, materialize, verifyStoredDoc } from '../../src/lib/server/collab/store';
import { readStoredRows } from '../../src/lib/server/collab/stored-rows';
import { E2E } from './env';
import { addSessionCookie, SESSION_COOKIE } from './session-cookie';

/**
 * End-to-end fixtures. Accounts are created straight in the server's database (the same real
 * SQLite file the server uses, opened alongside it in WAL mode, or its PostgreSQL database), so tests do not spend the registration
 * throttle; the auth tests themselves go through the forms.
 */
let handle: DbHandle | null = null;
export function e2eDb(file = 'main.db'): DbHandle {
	handle ??= E2E.databaseUrl ? pgDb(E2E.databaseUrl) : createDb(join(E2E.dataDir, file));
	return handle;
}

/** The main server's database when it is SQLite, for tests that read its realtime log directly. */
export function e2eSqlite(): SqliteHandle {
	const h = e2eDb();
	if (h.dialect !== 'sqlite') throw new Error('this test reads the SQLite realtime log');
	return h;
}

/**
 * A board's document as the main server stored it (snapshot and log rows, checksums verified),
 * read beside the running server on either database. On PostgreSQL the rows are read directly:
 * the server holds the board's ownership lock, so PgBoardLog.read would refuse.
 */
export async function storedBoardDoc(boardId: string): Promise<Y.Doc> {
	const h = e2eDb();
	if (h.dialect === 'sqlite') return new CollabStore(h.db, h.sqlite).loadSync(boardId).doc;
	return materialize(verifyStoredDoc({ boardId, ...(await readStoredRows(h.db, boardId)) })).doc;
}

/** A due date `days` after today in Japan: action forms refuse past dates, so tests never hard-code one. */
export function dueIn(days: number): string {
	return japanDate(Date.now() + days * 86_400_000);
}

/** The main server's secret (`<DATABASE_PATH>.secret`), for invites the tests make directly. */
export function e2eSecret(): Uint8Array {
	return Uint8Array.from(
		Buffer.from(readFileSync(join(E2E.dataDir, 'main.db.secret'), 'utf8').trim(), 'hex')
	);
}

export { createUser };
export type { TestUser };

export { SESSION_COOKIE };

/** Signs a browser context in as `user` with a fresh session; returns the token. */
export async function signIn(
	context: BrowserContext,
	user: TestUser,
	baseURL: string
): Promise<string> {
	const { token, session } = await createSession(e2eDb().db, user.id, Date.now(), 'e2e');
	await addSessionCookie(context, token, new URL(baseURL).hostname, session.expires_at);
	return token;
}

/** Posts a form the way a browser on this origin would (SvelteKit action, no JavaScript). */
export function postForm(
	page: Page,
	path: string,
	form: Record<string, string>,
	headers: Record<string, string> = {}
) {
	const origin = new URL(page.url() === 'about:blank' ? E2E.baseURL : page.url()).origin;
	return page.request.post(path, {
		form,
		headers: { Origin: origin, Accept: 'text/html', ...headers },
		maxRedirects: 0
	});
}

/** Opens a page and, when JavaScript runs, waits until Svelte has hydrated it. */
export async function open(page: Page, path: string): Promise<void> {
	await page.goto(path);
	if (base.info().project.use.javaScriptEnabled !== false)
		await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
}

/** A `securitypolicyviolation` event seen in a page. */
export interface CspViolation {
	page: string;
	directive: string;
	blocked: string;
	source: string;
	line: number;
	sample: string;
}

/** What the CSP collector gives a test: the violations so far, and a way to take them. */
export interface CspCollector {
	readonly violations: readonly CspViolation[];
	/** Returns the violations seen so far and forgets them (for tests that cause one on purpose). */
	take(): CspViolation[];
	/** Starts watching a browser context's pages (done for every context a test opens). */
	watch(context: BrowserContext): Promise<void>;
}

/**
 * HDR-01: every page of every test reports its CSP violations here, and a test with any fails.
 * The listener is installed before any page script runs (an init script), in the default
 * context and in every context a test or helper opens with `browser.newContext()` or
 * `browser.newPage()`. Pages without JavaScript run no scripts that could break the policy.
 */
async function collectCsp(
	browser: import('@playwright/test').Browser,
	use: (c: CspCollector) => Promise<void>
): Promise<void> {
	const seen: CspViolation[] = [];
	const watched = new Set<BrowserContext>();
	const collector: CspCollector = {
		violations: seen,
		take: () => seen.splice(0),
		async watch(context) {
			if (watched.has(context)) return;
			watched.add(context);
			await context.exposeBinding(
				'__yoriaiCspViolation',
				({ page }, v: Omit<CspViolation, 'page'>) => seen.push({ page: page?.url() ?? '', ...v })
			);
			await context.addInitScript(() => {
				document.addEventListener('securitypolicyviolation', (e) => {
					const report = (window as unknown as Record<string, (v: unknown) => void>)
						.__yoriaiCspViolation;
					report?.({
						directive: e.effectiveDirective,
						blocked: e.blockedURI,
						source: e.sourceFile,
						line: e.lineNumber,
						sample: e.sample
					});
				});
			});
		}
	};
	const newContext = browser.newContext.bind(browser);
	browser.newContext = async (options) => {
		const context = await newContext(options);
		await collector.watch(context);
		return context;
	};
	try {
		await use(collector);
	} finally {
		browser.newContext = newContext;
	}
	for (const context of watched) await flushReports(context);
	expect(seen, 'Content-Security-Policy violations in this test').toEqual([]);
}

/** Reports travel asynchronously: one round trip through every open page lets them arrive. */
async function flushReports(context: BrowserContext): Promise<void> {
	for (const page of context.pages()) await page.evaluate(() => 0).catch(() => undefined);
}

export const test = base.extend<{ user: TestUser; csp: CspCollector }>({
	// Playwright requires an object pattern for fixtures that use no other fixture.
	// eslint-disable-next-line no-empty-pattern
	user: async ({}, use) => {
		await use(await createUser(e2eDb().db));
	},
	csp: [async ({ browser }, use) => collectCsp(browser, use), { auto: true }],
	context: async ({ context, csp }, use) => {
		await csp.watch(context);
		await use(context);
		await flushReports(context);
	}
});

export { expect };

/** A board seeded from COCN's proposals, with `members` added in the given roles. */
export async function makeBoard(
	facilitator: TestUser,
	members: [TestUser, 'participant' | 'observer' | 'facilitator'][] = [],
	template: import('../../src/lib/domain/board/template').SeedTemplate = {
		type: 'report',
		slug: 'cocn-7th-basic-plan-2025',
		kinds: ['proposal']
	}
): Promise<string> {
	const { createBoard } = await import('../../src/lib/server/boards/create');
	const { seedCardsFor } = await import('../../src/lib/server/boards/seed-cards');
	const { addMember } = await import('../../src/lib/server/boards/members');
	const db = e2eDb().db;
	const { cards } = await seedCardsFor(db, template);
	const id = await createBoard(db, {
		title: 'e2e ワークショップ',
		purpose: '',
		workshopDate: null,
		template,
		cards: cards.slice(0, 8),
		author: { id: facilitator.id, name: facilitator.displayName },
		now: Date.now()
	});
	for (const [u, role] of members)
		await addMember(db, id, { username: u.username, role, by: facilitator.id, now: Date.now() });
	return id;
}

/** A signed-in context on a board page, connected to the board's realtime channel. */
export async function openBoard(
	browser: import('@playwright/test').Browser,
	user: TestUser,
	boardId: string,
	viewport?: { width: number; height: number }
): Promise<Page> {
	const context = await browser.newContext(viewport ? { viewport } : {});
	await signIn(context, user, E2E.baseURL);
	const page = await context.newPage();
	await open(page, `/boards/${boardId}`);
	await expect(page.getByRole('status').filter({ hasText: '接続済み' })).toBeVisible();
	return page;
}

/** A card on the page (or inside a lane) by its title. */
export const cardOn = (scope: Page | import('@playwright/test').Locator, title: string) =>
	scope.locator('article[data-card-id]', { hasText: title });

/** Opens a card's detail dialog (its title is the button). */
export const openCardDialog = (card: import('@playwright/test').Locator) =>
	card.locator('button.title').click();

/** Opens a card's action menu (move to lane, spotlight, archive…). */
export async function openCardMenu(page: Page, title: string) {
	await cardOn(page, title)
		.getByRole('button', { name: `カードの操作: ${title}` })
		.click();
	return page.getByRole('group', { name: `カードの操作: ${title}` });
}
