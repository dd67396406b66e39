import { test as base, expect, type BrowserContext, type Page } from '@playwright/test';
import { join } from 'node:path';
import { createDb, type DbHandle } from '../../src/lib/server/db/connect';
import { createSession } from '../../src/lib/server/auth/sessions';
import { createUser, type TestUser } from '../helpers/users';
import { E2E } from './env';

/**
 * End-to-end fixtures. Accounts are created straight in the server's SQLite file (the same real
 * file the server uses, opened alongside it in WAL mode), so tests do not spend the registration
 * throttle; the auth tests themselves go through the forms.
 */
let handle: DbHandle | null = null;
export function e2eDb(file = 'main.db'): DbHandle {
	handle ??= createDb(join(E2E.dataDir, file));
	return handle;
}

export { createUser };
export type { TestUser };

export const SESSION_COOKIE = '__Host-yoriai_session';

/** Signs a browser context in as `user` with a fresh session; returns the token. */
export async function signIn(
	context: BrowserContext,
	user: TestUser,
	baseURL: string
): Promise<string> {
	const { token, session } = await createSession(e2eDb().db, user.id, Date.now(), 'e2e');
	await context.addCookies([
		{
			name: SESSION_COOKIE,
			value: token,
			domain: new URL(baseURL).hostname,
			path: '/',
			httpOnly: true,
			secure: true,
			sameSite: 'Lax',
			expires: Math.floor(session.expires_at / 1000)
		}
	]);
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

export const test = base.extend<{ user: TestUser }>({
	// Playwright requires an object pattern for fixtures that use no other fixture.
	// eslint-disable-next-line no-empty-pattern
	user: async ({}, use) => {
		await use(await createUser(e2eDb().db));
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
