import { parse } from 'csv-parse/sync';
import { japanDate } from '../../src/lib/domain/decisions/due';
import { seriousViolations } from './a11y';
import { E2E } from './env';
import { e2eDb, expect, open, test } from './fixtures';
import { person, post, TITLES, voteBoard, type Person } from './votes-helpers';

/**
 * Actions as the room sees them later: a due date in the past is refused when set, an action
 * that has become overdue says so in words on the decision pages, /actions and the exports,
 * observers cannot own one, and the audit log tells what happened in the reader's language.
 */
test.describe.configure({ mode: 'serial' });

let board: string;
let decision: string;
let fac: Person;
let owner: Person;
let obs: Person;

const day = (offset: number) => japanDate(Date.now() + offset * 86_400_000);

test.beforeAll(async ({ browser }) => {
	fac = await person(browser, '司会 佐藤', 'government');
	owner = await person(browser, '担当 鈴木', 'industry');
	obs = await person(browser, '記者 田中', 'media');
	board = await voteBoard(fac.user, [
		[owner.user, 'participant'],
		[obs.user, 'observer']
	]);
	const page = fac.page;
	await open(page, `/boards/${board}/decisions`);
	await page.getByLabel('決定したこと').fill('データ連携基盤を整備する');
	await page.getByText('未分類 (6)').click();
	await page.getByRole('checkbox', { name: TITLES[0] }).check();
	await page.getByRole('button', { name: '決定を記録する' }).click();
	await expect(page).toHaveURL(/\/decisions\/\d+$/u);
	decision = /\/decisions\/(\d+)$/u.exec(page.url())![1]!;
});

test.afterAll(async () => {
	for (const p of [fac, owner, obs]) await p?.context.close();
});

test('a past due date is refused beside the field and keeps what was typed; observers are not offered, and refused, as owners', async () => {
	const page = fac.page;
	await open(page, `/boards/${board}/decisions/${decision}`);
	const form = page.locator('form[action="?/addAction"]');
	const ownerSelect = form.getByLabel('担当', { exact: true });
	await expect(ownerSelect.locator('option', { hasText: '担当 鈴木' })).toHaveCount(1);
	await expect(ownerSelect.locator('option', { hasText: '記者 田中' })).toHaveCount(0);

	await form.getByLabel('アクション', { exact: true }).fill('工程表を作る');
	await ownerSelect.selectOption({ label: '担当 鈴木（テスト株式会社）' });
	await form.getByLabel('期限').fill(day(-1));
	await form.getByRole('button', { name: 'アクションを追加' }).click();
	await expect(form.getByText('期限に過去の日付は設定できません')).toBeVisible();
	await expect(form.getByLabel('アクション', { exact: true })).toHaveValue('工程表を作る');
	expect(
		await e2eDb().db.selectFrom('actions').selectAll().where('board_id', '=', board).execute()
	).toEqual([]);
	// Today in Japan is accepted.
	await form.getByLabel('期限').fill(day(0));
	await form.getByRole('button', { name: 'アクションを追加' }).click();
	await expect(
		page.getByRole('status').filter({ hasText: 'アクションを追加しました' })
	).toBeVisible();

	// AC-02 A forged post naming the observer is refused with the reason, and stores nothing.
	const r = await post(fac, `/boards/${board}/decisions/${decision}?/addAction`, {
		title: '取材メモをまとめる',
		owner: `u:${obs.user.id}`,
		due: ''
	});
	expect(r.status()).toBe(400);
	expect(await r.text()).toContain('オブザーバーはアクションの担当者になれません');
	const rows = await e2eDb()
		.db.selectFrom('actions')
		.select('title')
		.where('board_id', '=', board)
		.execute();
	expect(rows.map((x) => x.title)).toEqual(['工程表を作る']);
	expect(await seriousViolations(page)).toEqual([]);
});

test('an action past its date is marked overdue in words on the board, /actions and the exports', async () => {
	// It was due yesterday: set directly, as time passing would (the forms refuse a past date).
	await e2eDb()
		.db.updateTable('actions')
		.set({ due_date: day(-1) })
		.where('board_id', '=', board)
		.execute();
	await open(fac.page, `/boards/${board}/decisions/${decision}`);
	const item = fac.page.locator('li.action', { hasText: '工程表を作る' });
	await expect(item.getByText('期限超過', { exact: true })).toBeVisible();
	await expect(item).toHaveClass(/overdue/u);
	const red = await item
		.getByText('期限超過', { exact: true })
		.evaluate((el) => getComputedStyle(el).backgroundColor);
	expect(red).toBe('rgb(164, 38, 44)');

	await open(owner.page, '/actions');
	await expect(
		owner.page.locator('li.action').getByText('期限超過', { exact: true })
	).toBeVisible();

	const csv = await fac.context.request.get(`/boards/${board}/export?format=csv`);
	const rows = parse(await csv.text(), { bom: true }) as string[][];
	expect(rows[1]?.[4]).toBe('未着手（期限超過）');
	const md = await (await fac.context.request.get(`/boards/${board}/export?format=md`)).text();
	expect(md).toContain('未着手（期限超過）');
	await open(fac.page, `/boards/${board}/print`);
	await expect(fac.page.getByRole('cell', { name: '未着手（期限超過）' })).toBeVisible();

	// Done is never overdue.
	const mine = owner.page.locator('li.action', { hasText: '工程表を作る' });
	await mine.getByLabel('状態').selectOption({ label: '進行中' });
	await mine.getByRole('button', { name: '更新' }).click();
	await expect(
		owner.page.getByRole('status').filter({ hasText: 'アクションを更新しました' })
	).toBeVisible();
	await mine.getByLabel('状態').selectOption({ label: '完了' });
	await mine.getByRole('button', { name: '更新' }).click();
	await expect(mine.getByText('期限超過', { exact: true })).toHaveCount(0);
});

test('the audit log reads as sentences in Japanese and in English', async () => {
	await open(fac.page, `/boards/${board}/audit`);
	const log = fac.page.getByRole('table');
	await expect(log).toContainText('状態を「未着手」から「進行中」に変更');
	await expect(log).toContainText('状態を「進行中」から「完了」に変更');
	await expect(log).toContainText('「工程表を作る」を決定 #');
	await expect(log).not.toContainText('status:');
	await expect(log.getByRole('cell', { name: /^アクション #\d+$/u }).first()).toBeVisible();

	await fac.context.addCookies([
		{ name: 'lang', value: 'en', domain: new URL(E2E.baseURL).hostname, path: '/' }
	]);
	await open(fac.page, `/boards/${board}/audit`);
	await expect(fac.page.locator('html')).toHaveAttribute('lang', 'en');
	await expect(log).toContainText('Status changed from “Open” to “In progress”');
	await expect(log).toContainText('Status changed from “In progress” to “Done”');
	expect(await seriousViolations(fac.page)).toEqual([]);

	const csv = await fac.context.request.get(`/boards/${board}/export?format=audit-csv`);
	const rows = parse(await csv.text(), { bom: true }) as string[][];
	expect(rows[0]).toEqual(['When', 'Who', 'What', 'Subject', 'Details', 'Record (JSON)']);
	const status = rows.find((r) => r[4]?.startsWith('Status changed from “Open”'));
	expect(JSON.parse(status![5]!)).toMatchObject({ status: ['open', 'in_progress'] });
});
