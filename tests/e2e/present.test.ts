import type { Page } from '@playwright/test';
import * as decoding from 'lib0/decoding';
import type { SeedTemplate } from '../../src/lib/domain/board/template';
import { seriousViolations } from './a11y';
import { E2E } from './env';
import {
	createUser,
	e2eDb,
	expect,
	makeBoard,
	open,
	openBoard,
	postForm,
	signIn,
	test,
	type TestUser
} from './fixtures';

/** A signed-in context on the projector view of a board. */
async function openProjector(
	browser: import('@playwright/test').Browser,
	user: TestUser,
	boardId: string,
	viewport = { width: 1366, height: 768 }
): Promise<Page> {
	const context = await browser.newContext({ viewport });
	await signIn(context, user, E2E.baseURL);
	const page = await context.newPage();
	await open(page, `/boards/${boardId}/present`);
	return page;
}

/**
 * Whether a frame the browser sent carries a document change: y-websocket sync messages are
 * [0, 1 (step 2) | 2 (update), bytes]; an empty Yjs update is two bytes.
 */
function carriesEdit(payload: string | Buffer): boolean {
	if (typeof payload === 'string') return false;
	const d = decoding.createDecoder(new Uint8Array(payload));
	if (decoding.readVarUint(d) !== 0) return false;
	const step = decoding.readVarUint(d);
	if (step === 0) return false;
	return decoding.readVarUint8Array(d).length > 2;
}

test('the projector view follows the spotlight, the phase and the timer live, and sends no edit', async ({
	browser,
	user
}) => {
	const id = await makeBoard(user);
	const fac = await openBoard(browser, user, id);
	const proj = await openProjector(browser, user, id);
	const sent: boolean[] = [];
	proj.on('websocket', (ws) => ws.on('framesent', (f) => sent.push(carriesEdit(f.payload))));
	await proj.reload();
	await proj.locator('html[data-hydrated]').waitFor({ state: 'attached' });

	// The lanes in large type, with their counts.
	const unsorted = proj.getByRole('region', { name: /未分類/u });
	await expect(unsorted.getByRole('heading')).toContainText('8 枚');
	const cards = unsorted.locator('li.card[data-card-id]');
	await expect(cards).toHaveCount(8);
	const fontSize = await cards.first().evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
	expect(fontSize).toBeGreaterThanOrEqual(18);
	await expect(proj.getByTestId('present-phase')).toHaveText('整理');
	await expect(proj.getByTestId('present-spotlight')).toHaveCount(0);
	// Marks this document: if anything below reloaded the page, the mark would be gone.
	await proj.evaluate(() => ((window as unknown as { mark: number }).mark = 1));

	// The facilitator spotlights the fifth card from their own context.
	const target = cards.nth(4);
	const cardId = (await target.getAttribute('data-card-id'))!;
	const title = (await target.textContent())!.trim();
	const spot = await postForm(fac, `/boards/${id}/facilitation?/spotlight`, {
		kind: 'card',
		id: cardId
	});
	expect(spot.status()).toBeLessThan(400);
	const shown = proj.getByTestId('present-spotlight');
	await expect(shown.getByRole('heading')).toHaveText(title);
	await expect(shown).toContainText('注目しているカード');
	await expect(proj.locator(`li.card.spot[data-card-id="${cardId}"]`)).toBeVisible();

	// Phase and timer follow too.
	await postForm(fac, `/boards/${id}/facilitation?/phase`, { phase: 'vote' });
	await expect(proj.getByTestId('present-phase')).toHaveText('投票');
	await postForm(fac, `/boards/${id}/facilitation?/timer`, { op: 'start', minutes: '5' });
	await expect(proj.getByRole('timer')).toHaveText(/^(4:5\d|5:00)$/u);
	const [a, b] = [
		await proj.getByRole('timer').textContent(),
		await fac.getByRole('timer').textContent()
	];
	const secs = (s: string | null) => {
		const m = /(\d+):(\d\d)/u.exec(s ?? '');
		return m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
	};
	expect(Math.abs(secs(a) - secs(b))).toBeLessThanOrEqual(1);

	// Clearing the spotlight takes the card down.
	await postForm(fac, `/boards/${id}/facilitation?/spotlight`, { kind: 'none' });
	await expect(proj.getByTestId('present-spotlight')).toHaveCount(0);
	expect(await proj.evaluate(() => (window as unknown as { mark?: number }).mark)).toBe(1);
	expect(sent.length).toBeGreaterThan(0);
	expect(sent.filter(Boolean)).toEqual([]);
	await fac.context().close();
	await proj.context().close();
});

test('A11Y-01 projector view: axe clean with a spotlight and with the QR code; Q, Escape; a fresh invite for facilitators only', async ({
	browser,
	user
}) => {
	const p = await createUser(e2eDb().db, { displayName: '参加者' });
	const id = await makeBoard(user, [[p, 'participant']]);
	const proj = await openProjector(browser, user, id, { width: 1920, height: 1080 });
	const cardId = (await proj
		.locator('li.card[data-card-id]')
		.first()
		.getAttribute('data-card-id'))!;
	await postForm(proj, `/boards/${id}/facilitation?/spotlight`, { kind: 'card', id: cardId });
	await expect(proj.getByTestId('present-spotlight')).toBeVisible();
	expect(await seriousViolations(proj)).toEqual([]);

	// F toggles full screen.
	await proj.keyboard.press('f');
	await expect.poll(() => proj.evaluate(() => document.fullscreenElement !== null)).toBe(true);
	await proj.keyboard.press('f');
	await expect.poll(() => proj.evaluate(() => document.fullscreenElement !== null)).toBe(false);

	// Q opens the invite panel; the earlier links cannot be shown again, so it offers a new one.
	await proj.keyboard.press('q');
	const dialog = proj.getByRole('dialog', { name: '参加用の招待' });
	await expect(dialog).toBeVisible();
	await dialog.getByRole('button', { name: '参加者用の招待を作って表示' }).click();
	const qr = dialog.getByRole('img', { name: /招待リンクのQRコード/u });
	await expect(qr).toBeVisible();
	const link = (await dialog.locator('.link').textContent())!.trim();
	expect(link).toMatch(new RegExp(`^${E2E.baseURL}/invite/[a-z2-7]{32}$`, 'u'));
	const box = (await qr.boundingBox())!;
	expect(box.width).toBeGreaterThanOrEqual(400);
	expect(await seriousViolations(proj)).toEqual([]);
	const invite = await e2eDb()
		.db.selectFrom('board_invites')
		.select(['role', 'max_uses'])
		.where('board_id', '=', id)
		.execute();
	expect(invite).toEqual([{ role: 'participant', max_uses: 100 }]);
	await expect(dialog).toBeFocused();
	await proj.keyboard.press('Escape');
	await expect(dialog).toHaveCount(0);
	await expect(proj.getByRole('button', { name: '招待QRコード' })).toBeFocused();
	// Q again shows the same invite, without making another.
	await proj.keyboard.press('q');
	await expect(dialog.getByRole('img')).toBeVisible();
	await proj.keyboard.press('q');
	await expect(dialog).toHaveCount(0);

	// A participant sees the board but no invite, by key or by button, and cannot make one.
	const pp = await openProjector(browser, p, id);
	await expect(pp.getByTestId('present-spotlight')).toBeVisible();
	await expect(pp.getByRole('button', { name: '招待QRコード' })).toHaveCount(0);
	await pp.keyboard.press('q');
	await expect(pp.getByRole('dialog')).toHaveCount(0);
	const refused = await postForm(pp, `/boards/${id}/present?/invite`, {});
	expect(refused.status()).toBe(403);
	expect(await seriousViolations(pp)).toEqual([]);
	await proj.context().close();
	await pp.context().close();
});

test('a lane longer than the screen shows what fits and counts the rest; the page does not scroll', async ({
	browser,
	user
}) => {
	const { createBoard } = await import('../../src/lib/server/boards/create');
	const { seedCardsFor } = await import('../../src/lib/server/boards/seed-cards');
	const template: SeedTemplate = {
		type: 'report',
		slug: 'cocn-7th-basic-plan-2025',
		kinds: ['proposal', 'issue']
	};
	const { cards } = await seedCardsFor(e2eDb().db, template);
	const id = await createBoard(e2eDb().db, {
		title: '長いボード',
		purpose: '',
		workshopDate: null,
		template,
		cards: cards.slice(0, 60),
		author: { id: user.id, name: user.displayName },
		now: Date.now()
	});
	for (const viewport of [
		{ width: 1366, height: 768 },
		{ width: 1920, height: 1080 }
	]) {
		const proj = await openProjector(browser, user, id, viewport);
		const lane = proj.getByRole('region', { name: /未分類/u });
		await expect(lane.getByRole('heading')).toContainText('60 枚');
		const more = lane.locator('.more:not(.measure)');
		await expect(more).toHaveText(/^ほか \d+ 枚$/u);
		const hidden = Number(/\d+/u.exec((await more.textContent()) ?? '')![0]);
		const shown = lane.locator('li.card:not(.clipped)');
		expect((await shown.count()) + hidden).toBe(60);
		expect(await shown.count()).toBeGreaterThanOrEqual(viewport.height > 800 ? 7 : 5);
		// Every shown card is whole, above the "+N more" line.
		const pill = (await more.boundingBox())!;
		const last = (await shown.last().boundingBox())!;
		expect(last.y + last.height).toBeLessThanOrEqual(pill.y + 1);
		const size = await proj.evaluate(() => [
			document.documentElement.scrollWidth,
			document.documentElement.scrollHeight
		]);
		expect(size).toEqual([viewport.width, viewport.height]);
		await proj.context().close();
	}
});

test('AC-01 the projector view of a board is 404 for someone not on it', async ({ page, user }) => {
	const id = await makeBoard(user);
	const stranger = await createUser(e2eDb().db);
	await signIn(page.context(), stranger, E2E.baseURL);
	const res = await page.goto(`/boards/${id}/present`);
	expect(res?.status()).toBe(404);
});
