import { seriousViolations } from './a11y';
import { e2eDb, expect, open, test } from './fixtures';
import { person, post, voteBoard, type Person } from './votes-helpers';

/**
 * The facilitator prepares a vote before the workshop and opens it from the cockpit in one
 * click; only facilitators see, open or delete prepared votes.
 */
test.describe.configure({ mode: 'serial' });

let board: string;
let fac: Person;
let part: Person;

test.beforeAll(async ({ browser }) => {
	fac = await person(browser, '司会 準備', 'government');
	part = await person(browser, '参加 準備', 'industry');
	board = await voteBoard(fac.user, [[part.user, 'participant']]);
});

test.afterAll(async () => {
	for (const p of [fac, part]) await p?.context.close();
});

const prepared = () =>
	e2eDb()
		.db.selectFrom('vote_drafts')
		.select(['id', 'title'])
		.where('board_id', '=', board)
		.execute();

test('a vote prepared on the votes page opens with one click from the cockpit on the board', async () => {
	const page = fac.page;
	await open(page, `/boards/${board}/votes`);
	await page.getByLabel('投票の名前').fill('午後の優先順位');
	await page.getByRole('radio', { name: /^ドット投票/u }).check();
	await page.getByRole('button', { name: 'あとで開くために準備する' }).click();
	await expect(page.getByRole('status')).toHaveText(
		'「午後の優先順位」を準備しました。コックピットから開始できます。'
	);
	expect(await prepared()).toMatchObject([{ title: '午後の優先順位' }]);
	// Nothing opened yet.
	const sessions = () =>
		e2eDb()
			.db.selectFrom('vote_sessions')
			.select(['id', 'title'])
			.where('board_id', '=', board)
			.execute();
	expect(await sessions()).toEqual([]);
	await expect(page.getByRole('region', { name: '準備した投票' })).toContainText('午後の優先順位');
	expect(await seriousViolations(page)).toEqual([]);

	// A participant neither sees it nor can open or delete it.
	await open(part.page, `/boards/${board}/votes`);
	await expect(part.page.getByText('午後の優先順位')).toHaveCount(0);
	const id = String((await prepared())[0]!.id);
	expect(
		(await post(part, `/boards/${board}/votes?/openPrepared`, { prepared: id })).status()
	).toBe(403);
	expect(
		(await post(part, `/boards/${board}/votes?/dropPrepared`, { prepared: id })).status()
	).toBe(403);
	expect(await sessions()).toEqual([]);

	// On the board, the cockpit's button opens it: one click, straight to the open vote.
	await open(page, `/boards/${board}`);
	const cockpit = page.getByTestId('cockpit');
	await cockpit.getByRole('button', { name: '「午後の優先順位」を開始' }).click();
	await expect(page).toHaveURL(/\/votes\/\d+$/u);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('午後の優先順位');
	expect((await sessions()).map((s) => s.title)).toEqual(['午後の優先順位']);
	expect(await prepared()).toEqual([]);
	await expect(page.getByTestId('open-prepared')).toHaveCount(0);

	// The participant sees the opened vote like any other.
	await open(part.page, `/boards/${board}/votes`);
	await expect(part.page.getByRole('link', { name: '午後の優先順位' })).toBeVisible();
	// A prepared vote opened already is gone: opening it again says so and opens nothing.
	expect((await post(fac, `/boards/${board}/votes?/openPrepared`, { prepared: id })).status()).toBe(
		404
	);
	expect(await sessions()).toHaveLength(1);
});

test('a prepared vote can be deleted; a bad one is refused with the reason and nothing kept', async () => {
	const page = fac.page;
	await open(page, `/boards/${board}/votes`);
	// Refused as opening would refuse it: a cap above the budget.
	await page.getByLabel('投票の名前').fill('上限が多すぎる投票');
	await page.getByRole('radio', { name: /^ドット投票/u }).check();
	await page.getByLabel('ドットの持ち点').fill('2');
	await page.getByLabel('1 枚に置ける最大ドット数').fill('5');
	await page.getByRole('button', { name: 'あとで開くために準備する' }).click();
	await expect(page.getByText('1 枚の上限は持ち点以下にしてください。')).toBeVisible();
	await expect(page.getByLabel('投票の名前')).toHaveValue('上限が多すぎる投票');
	expect(await prepared()).toEqual([]);

	await page.getByLabel('1 枚に置ける最大ドット数').fill('2');
	await page.getByRole('button', { name: 'あとで開くために準備する' }).click();
	await expect(page.getByRole('status')).toContainText('上限が多すぎる投票');
	await page.getByRole('button', { name: '「上限が多すぎる投票」を削除' }).click();
	await expect(page.getByRole('status')).toHaveText(
		'準備した投票「上限が多すぎる投票」を削除しました。'
	);
	expect(await prepared()).toEqual([]);
});
