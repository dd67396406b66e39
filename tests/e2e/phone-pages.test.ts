import { issueReset } from '../../src/lib/server/admin/resets';
import { createUser, e2eDb, open, test, expect, signIn, type TestUser } from './fixtures';
import { E2E } from './env';
import type { BrowserContext, Page } from '@playwright/test';
import { translator } from '../../src/lib/i18n/translate';
import {
	controlsOutside,
	smallTargets,
	sidewaysProblems,
	useLanguage,
	workshop,
	type Workshop
} from './phone-helpers';
import { voteBoard } from './votes-helpers';

/**
 * Every page of the app on a 360 px phone (the phone-360 project), signed out, as a participant
 * and as a facilitator, in Japanese and in English: the page never scrolls sideways and every
 * control is within reach (RESP-01).
 */

let w: Workshop;
/** A password-reset link an administrator made for someone (the /reset page, signed out). */
let resetToken: string;
/** A report-import draft the facilitator uploaded, with the participant as a second curator. */
let draft: string;
/**
 * A report as a curator would bring it: headings, findings and proposals, a long web address
 * and a file name of underscores, neither of which a browser breaks by itself.
 */
const REPORT = [
	'# 地域イノベーション推進計画',
	'## 現状と課題',
	'地方の中小企業ではデジタル人材が不足している。',
	'詳細は https://www.example.go.jp/policy/regional-innovation/2026/implementation-plan-final-report.html を参照。',
	'## 提言',
	'大学と自治体が共同で人材育成の拠点を整備すべきである。',
	'2030年までに地域の研究開発投資を倍増することを目指す。'
].join('\n');
test.beforeAll(async ({ browser }) => {
	w = await workshop(browser);
	const db = e2eDb().db;
	// The upload and the co-curator go through the import page's own forms.
	const fac = await browser.newContext();
	await signIn(fac, w.facilitator, E2E.baseURL);
	const up = await fac.request.post('/library/import?/upload', {
		multipart: {
			file: {
				name: 'chiiki_innovation_suishin_keikaku_2026_saishuban.md',
				mimeType: 'text/markdown',
				buffer: Buffer.from(REPORT)
			}
		},
		headers: { Origin: E2E.baseURL, Accept: 'text/html' },
		maxRedirects: 0
	});
	expect(up.status()).toBe(303);
	draft = /^\/library\/import\/([a-z2-7]+)$/u.exec(up.headers().location ?? '')![1]!;
	const curator = await fac.request.post(`/library/import/${draft}?/curator`, {
		form: { username: w.participant.username },
		headers: { Origin: E2E.baseURL, Accept: 'text/html' },
		maxRedirects: 0
	});
	expect(curator.status()).toBe(200);
	await fac.close();
	// The facilitator also administers the instance, so the admin pages are visited too.
	await db.updateTable('users').set({ is_admin: 1 }).where('id', '=', w.facilitator.id).execute();
	const forgetful = await createUser(db);
	const reset = await issueReset(
		db,
		forgetful.id,
		{ id: w.facilitator.id, name: w.facilitator.displayName },
		Date.now()
	);
	if (!reset.ok) throw new Error(reset.problem);
	resetToken = reset.token;
});

const library = [
	'/library',
	'/library/cocn-7th-basic-plan-2025',
	'/library/items/im19-166',
	'/library/search?q=データ',
	'/library/themes/research_security'
];
const signedOut = ['/', '/login', '/register', ...library];
const boardPages = (w: Workshop) => {
	const b = `/boards/${w.board}`;
	return [
		'/',
		'/boards',
		'/account',
		'/actions',
		b,
		`${b}/votes`,
		`${b}/votes/${w.open}`,
		`${b}/votes/${w.revealed}`,
		`${b}/votes/${w.scored}`,
		`${b}/decisions`,
		`${b}/decisions/${w.decision}`,
		`${b}/present`,
		`${b}/print`,
		// Whoever may create boards may import a report (by default every signed-in person), and
		// a draft is shown to its curators: the participant was made one.
		'/library/import',
		`/library/import/${draft}`
	];
};
const facilitatorOnly = (w: Workshop) => {
	const b = `/boards/${w.board}`;
	return [
		`${b}/invites`,
		`${b}/members`,
		`${b}/audit`,
		`${b}/settings`,
		'/boards/new',
		'/admin',
		'/admin/users',
		'/admin/policies',
		'/admin/audit'
	];
};

for (const lang of ['ja', 'en'] as const) {
	test(`RESP-01 signed out, ${lang}: no page scrolls sideways at 360 px`, async ({ page }) => {
		test.setTimeout(90_000);
		await useLanguage(page.context(), lang);
		for (const path of signedOut) await check(page, path);
		// The invite link parks its token and shows what joining means (with registration).
		await page.goto(`/invite/${w.inviteToken}`);
		await expect(page).toHaveURL(`${E2E.baseURL}/invite`);
		await check(page, '/invite');
		await check(page, `/reset/${resetToken}`);
		await checkError(page, '/no-such-page', 404);
	});

	for (const role of ['participant', 'facilitator'] as const) {
		test(`RESP-01 ${role}, ${lang}: no page scrolls sideways at 360 px`, async ({ page }) => {
			test.setTimeout(120_000);
			await useLanguage(page.context(), lang);
			const user: TestUser = role === 'participant' ? w.participant : w.facilitator;
			await signIn(page.context(), user, E2E.baseURL);
			const paths = [...boardPages(w), ...(role === 'facilitator' ? facilitatorOnly(w) : [])];
			for (const path of [...paths, library[0]!]) await check(page, path);
			// The error page, signed in: a page that does not exist, and a board that does not.
			await checkError(page, '/no-such-page', 404);
			await checkError(page, '/boards/999999', 404);
			// The board's card sheet, opened from the list.
			await open(page, `/boards/${w.board}`);
			await page.locator('article[data-card-id] button.title').first().click();
			await expect(page.getByRole('dialog')).toBeVisible();
			expect.soft(await sidewaysProblems(page), `${role} card sheet`).toEqual([]);
		});
	}
}

for (const lang of ['ja', 'en'] as const) {
	test(`RESP-01 ${lang}: the phone board's lane menu, side panel, drafts panel and the invite QR fit 360 px`, async ({
		page,
		browser
	}) => {
		test.setTimeout(120_000);
		const t = translator(lang);
		// A board in private writing (the drafts panel) with an open vote (the cockpit then
		// names who has not voted yet).
		const board = await voteBoard(w.facilitator, [[w.participant, 'participant']]);
		const setup = await browser.newContext();
		await signIn(setup, w.facilitator, E2E.baseURL);
		const post = async (path: string, form: Record<string, string>) => {
			const r = await setup.request.post(path, {
				form,
				headers: { Origin: E2E.baseURL, Accept: 'text/html' },
				maxRedirects: 0
			});
			expect(r.status(), path).toBe(303);
		};
		// Opening a vote moves the board to the vote phase: writing starts after it.
		await post(`/boards/${board}/votes?/open`, {
			title: '中間の確認',
			method: 'approval',
			scope: 'all',
			anonymous: 'on'
		});
		await post(`/boards/${board}/facilitation?/phase`, { phase: 'write' });
		await setup.close();

		// — the participant's private drafts: the panel opens by itself when writing starts —
		const pc = await phoneAs(browser, w.participant, lang);
		const pp = await pc.newPage();
		await connected(pp, board, t);
		const drafts = pp.locator('#board-panel');
		await expect(drafts.getByRole('heading', { name: t('drafts.title') })).toBeVisible();
		await drafts
			.getByLabel(t('board.card.title'), { exact: true })
			.fill('地域の大学に共同研究の窓口を置く');
		await drafts.getByRole('button', { name: t('drafts.add'), exact: true }).click();
		await expect(drafts.getByText('地域の大学に共同研究の窓口を置く')).toBeVisible();
		expect.soft(await sidewaysProblems(pp), 'drafts panel').toEqual([]);
		expect.soft(await controlsOutside(drafts), 'drafts panel').toEqual([]);
		expect.soft(await smallTargets(drafts), 'drafts panel: targets under 44 px').toEqual([]);

		// — the facilitator's side panel: cockpit (drafts to reveal, who is where, the open
		// vote) and labels; closed, then opened again with the toolbar's button —
		await useLanguage(page.context(), lang);
		await signIn(page.context(), w.facilitator, E2E.baseURL);
		await connected(page, board, t);
		const panel = page.locator('#board-panel');
		await expect(panel).toBeVisible();
		await panel.getByRole('button', { name: t('board.panel.close') }).click();
		await expect(panel).toBeHidden();
		await page.getByRole('button', { name: t('board.panel.toggle') }).click();
		await expect(panel).toBeVisible();
		const cockpit = panel.getByTestId('cockpit');
		await expect(
			cockpit.getByRole('button', { name: t('facil.reveal', { drafts: 1, authors: 1 }) })
		).toBeVisible();
		await expect(cockpit.getByTestId('cockpit-vote')).toContainText('中間の確認');
		await cockpit.getByText(t('cockpit.who')).click();
		await expect(cockpit.locator('details')).toHaveJSProperty('open', true);
		await panel.getByLabel(t('board.labels.name'), { exact: true }).fill('中期（2027〜2029年度）');
		await panel.getByRole('button', { name: t('board.labels.add'), exact: true }).click();
		await expect(
			panel.getByLabel(`${t('board.labels.name')}: 中期（2027〜2029年度）`)
		).toBeVisible();
		expect.soft(await sidewaysProblems(page), 'side panel').toEqual([]);
		expect.soft(await controlsOutside(panel), 'side panel').toEqual([]);
		expect.soft(await smallTargets(panel), 'side panel: targets under 44 px').toEqual([]);
		await panel.getByRole('button', { name: t('board.panel.close') }).click();
		await expect(panel).toBeHidden();

		// — a lane's menu (the second lane: it can be moved both ways and deleted) —
		const tabs = page.getByRole('tablist', { name: t('phone.lanes') });
		await tabs.getByRole('tab').nth(1).click();
		await page.getByRole('button', { name: new RegExp(`^${t('board.lane.menu')}: `, 'u') }).click();
		const menu = page.getByRole('group', { name: new RegExp(`^${t('board.lane.menu')}: `, 'u') });
		await expect(menu.getByRole('button', { name: t('board.lane.delete') })).toBeVisible();
		expect.soft(await sidewaysProblems(page), 'lane menu').toEqual([]);
		expect.soft(await controlsOutside(menu), 'lane menu').toEqual([]);
		expect.soft(await smallTargets(menu), 'lane menu: targets under 44 px').toEqual([]);
		await page.keyboard.press('Escape');
		await expect(menu).toBeHidden();

		// — the invites page: a new invite, its QR code shown full screen —
		await open(page, `/boards/${board}/invites`);
		await page.getByRole('button', { name: t('invites.create'), exact: true }).click();
		await expect(page.getByRole('status').filter({ hasText: t('invites.created') })).toBeVisible();
		await page
			.locator('li.created')
			.getByRole('button', { name: t('invites.fullscreen') })
			.click();
		const qr = page.getByRole('dialog', { name: t('invites.qr') });
		await expect(qr.getByRole('img', { name: t('invites.qr') })).toBeVisible();
		expect.soft(await sidewaysProblems(page), 'QR full screen').toEqual([]);
		expect.soft(await controlsOutside(qr), 'QR full screen').toEqual([]);
		expect.soft(await smallTargets(qr), 'QR full screen: targets under 44 px').toEqual([]);
		await qr.getByRole('button', { name: t('invites.close') }).click();
		await expect(qr).toBeHidden();
		await pc.close();
	});
}

/** A phone context (the project's settings) signed in as `user`, in `lang`. */
async function phoneAs(
	browser: import('@playwright/test').Browser,
	user: TestUser,
	lang: 'ja' | 'en'
): Promise<BrowserContext> {
	const context = await browser.newContext();
	await useLanguage(context, lang);
	await signIn(context, user, E2E.baseURL);
	return context;
}

/** Opens a board and waits until it is live (its saved state says so). */
async function connected(page: Page, board: string, t: ReturnType<typeof translator>) {
	await open(page, `/boards/${board}`);
	await expect(
		page.getByRole('status').filter({ hasText: t('board.status.connected') })
	).toBeVisible();
}

async function check(page: import('@playwright/test').Page, path: string) {
	await open(page, path);
	expect.soft(await sidewaysProblems(page), path).toEqual([]);
}

/** The error page, checked to be the error page (a redirect elsewhere would test nothing). */
async function checkError(page: import('@playwright/test').Page, path: string, status: number) {
	const r = await page.goto(path);
	expect(r?.status(), path).toBe(status);
	await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
	await expect(page.getByRole('heading', { level: 1 })).toContainText(String(status));
	expect.soft(await sidewaysProblems(page), path).toEqual([]);
}
