import { issueReset } from '../../src/lib/server/admin/resets';
import { createUser, e2eDb, open, test, expect, signIn, type TestUser } from './fixtures';
import { E2E } from './env';
import { sidewaysProblems, useLanguage, workshop, type Workshop } from './phone-helpers';

/**
 * Every page of the app on a 360 px phone (the phone-360 project), signed out, as a participant
 * and as a facilitator, in Japanese and in English: the page never scrolls sideways and every
 * control is within reach (RESP-01).
 */

let w: Workshop;
/** A password-reset link an administrator made for someone (the /reset page, signed out). */
let resetToken: string;
test.beforeAll(async ({ browser }) => {
	w = await workshop(browser);
	const db = e2eDb().db;
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
		`${b}/decisions`,
		`${b}/decisions/${w.decision}`,
		`${b}/present`,
		`${b}/print`
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
	});

	for (const role of ['participant', 'facilitator'] as const) {
		test(`RESP-01 ${role}, ${lang}: no page scrolls sideways at 360 px`, async ({ page }) => {
			test.setTimeout(120_000);
			await useLanguage(page.context(), lang);
			const user: TestUser = role === 'participant' ? w.participant : w.facilitator;
			await signIn(page.context(), user, E2E.baseURL);
			const paths = [...boardPages(w), ...(role === 'facilitator' ? facilitatorOnly(w) : [])];
			for (const path of [...paths, library[0]!]) await check(page, path);
			// The board's card sheet, opened from the list.
			await open(page, `/boards/${w.board}`);
			await page.locator('article[data-card-id] button.title').first().click();
			await expect(page.getByRole('dialog')).toBeVisible();
			expect.soft(await sidewaysProblems(page), `${role} card sheet`).toEqual([]);
		});
	}
}

async function check(page: import('@playwright/test').Page, path: string) {
	await open(page, path);
	expect.soft(await sidewaysProblems(page), path).toEqual([]);
}
