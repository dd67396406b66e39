import { OUTLINE_CARDS_PER_LANE } from '../../src/lib/domain/board/outline';
import { E2E } from './env';
import { e2eDb, expect, openBoard, signIn, test, type TestUser } from './fixtures';

const CARDS = OUTLINE_CARDS_PER_LANE + 25;

/** A board whose unsorted lane holds `CARDS` seeded cards. */
async function longLaneBoard(facilitator: TestUser): Promise<string> {
	const { createBoard } = await import('../../src/lib/server/boards/create');
	const { seedCardsFor } = await import('../../src/lib/server/boards/seed-cards');
	const db = e2eDb().db;
	const { cards } = await seedCardsFor(db, {
		type: 'theme',
		theme: 'talent',
		kinds: ['issue', 'proposal', 'target']
	});
	expect(cards.length).toBeGreaterThanOrEqual(CARDS);
	return createBoard(db, {
		title: '長いレーンのボード',
		purpose: '',
		workshopDate: null,
		template: { type: 'theme', theme: 'talent', kinds: ['issue', 'proposal', 'target'] },
		cards: cards.slice(0, CARDS).map((c) => ({ ...c, lane: 'unsorted' })),
		author: { id: facilitator.id, name: facilitator.displayName },
		now: Date.now()
	});
}

test('the server sends the first cards of a long lane with its true count; the synced board shows them all', async ({
	browser,
	user
}) => {
	const id = await longLaneBoard(user);

	// Without JavaScript: the server's outline, and a line saying where the rest is.
	const context = await browser.newContext({ javaScriptEnabled: false });
	await signIn(context, user, E2E.baseURL);
	const first = await context.newPage();
	await first.goto(`/boards/${id}`);
	const outlined = first.locator('section[data-lane="unsorted"]');
	await expect(outlined.locator('article[data-card-id]')).toHaveCount(OUTLINE_CARDS_PER_LANE);
	await expect(outlined).toHaveAttribute('data-count', String(CARDS));
	await expect(outlined.locator('[data-more]')).toHaveAttribute('data-more', '25');
	// (Playwright's text matching skips <noscript>, so its markup is read instead.)
	expect(await outlined.locator('[data-more] noscript').innerHTML()).toContain('JavaScript');
	await context.close();

	// With JavaScript: every card once the document has synced, and no such line.
	const page = await openBoard(browser, user, id);
	const live = page.locator('section[data-lane="unsorted"]');
	await expect(live.locator('article[data-card-id]')).toHaveCount(CARDS);
	await expect(live.locator('[data-more]')).toHaveCount(0);
	await expect(live).toHaveAttribute('data-count', String(CARDS));
	await page.context().close();
});
