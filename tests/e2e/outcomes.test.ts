import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import MarkdownIt from 'markdown-it';
import { readFile } from 'node:fs/promises';
import type { Download, Page } from '@playwright/test';
import { boardExportV3 } from '../../src/lib/domain/exports/schema';
import { seriousViolations } from './a11y';
import { E2E } from './env';
import { dueIn, e2eDb, expect, open, test } from './fixtures';

const DUE_FIRST = dueIn(30);
const DUE_SECOND = dueIn(60);
import { person, post, sessionCards, TITLES, voteBoard, type Person } from './votes-helpers';

/**
 * From a revealed vote to a decision, its actions and every export: the facilitator records a
 * decision with dissent and actions, an owner moves an action on, and every format is downloaded
 * and read back. Who may export what is checked per role (EXP-05).
 */
test.describe.configure({ mode: 'serial' });

let board: string;
let fac: Person;
let owner: Person;
let other: Person;
let obs: Person;
let outsider: Person;
let session: number;
let sourceReport: string;

test.beforeAll(async ({ browser }) => {
	fac = await person(browser, 'ファシリテーター', 'government');
	owner = await person(browser, '担当 A', 'industry');
	other = await person(browser, '参加者 B', 'academia');
	obs = await person(browser, '記者 O', 'media');
	outsider = await person(browser, '部外者', 'other');
	board = await voteBoard(fac.user, [
		[owner.user, 'participant'],
		[other.user, 'participant'],
		[obs.user, 'observer']
	]);
	const row = await e2eDb()
		.db.selectFrom('items')
		.innerJoin('reports', 'reports.slug', 'items.report_slug')
		.select('reports.title_ja')
		.where('items.report_slug', '=', 'cocn-7th-basic-plan-2025')
		.executeTakeFirstOrThrow();
	sourceReport = row.title_ja;

	// A revealed ranking vote, cast without the UI (the votes suite covers that).
	const opened = await post(fac, `/boards/${board}/votes?/open`, {
		title: '優先順位',
		method: 'ranking',
		scope: 'all',
		top_n: '2',
		anonymous: 'on',
		facilitators_vote: 'on',
		min_group: '3'
	});
	expect(opened.status()).toBe(303);
	session = Number(/\/votes\/(\d+)$/u.exec(opened.headers().location ?? '')![1]);
	const cards = await sessionCards(session);
	for (const [p, first, second] of [
		[owner, 2, 0],
		[other, 2, 1],
		[fac, 0, 2]
	] as const) {
		const r = await post(p, `/boards/${board}/votes/${session}?/cast`, {
			[`c.${cards[first]}`]: '1',
			[`c.${cards[second]}`]: '2'
		});
		expect(r.status()).toBe(200);
	}
	expect((await post(fac, `/boards/${board}/votes/${session}?/close`, {})).status()).toBe(200);
	expect((await post(fac, `/boards/${board}/votes/${session}?/reveal`, {})).status()).toBe(200);
});

test.afterAll(async () => {
	for (const p of [fac, owner, other, obs, outsider]) await p?.context.close();
});

const download = async (page: Page, link: RegExp | string): Promise<Download> => {
	const [file] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('link', { name: link, exact: true }).click()
	]);
	return file;
};

test('the facilitator records a decision with dissent and actions; an owner moves an action on', async () => {
	test.setTimeout(90_000);
	const page = fac.page;
	await open(page, `/boards/${board}/decisions`);
	await expect(page.getByText('まだ決定は記録されていません。')).toBeVisible();
	await page.getByLabel('決定したこと').fill('データ連携基盤を最優先で整備する');
	await page.getByLabel('理由', { exact: true }).fill('三つのセクターすべてが上位に挙げた。');
	await page.getByText('未分類 (6)').click();
	await page.getByRole('checkbox', { name: TITLES[2] }).check();
	await page.getByRole('checkbox', { name: TITLES[0] }).check();
	await page.getByLabel('根拠となった投票').selectOption({ label: '優先順位 (順位づけ)' });
	await page.getByLabel('意見 1 のセクター').selectOption({ label: '学術・大学' });
	await page.getByLabel('意見 1', { exact: true }).fill('基礎研究への配分が減ることを懸念する。');
	await page.getByRole('button', { name: '決定を記録する' }).click();
	await expect(page).toHaveURL(/\/decisions\/\d+$/u);
	const decision = /\/decisions\/(\d+)$/u.exec(page.url())![1];
	const current = page.getByRole('article', { name: '現在の内容' });
	await expect(current).toContainText('データ連携基盤を最優先で整備する');
	await expect(current).toContainText('学術・大学');
	await expect(current).toContainText('基礎研究への配分が減ることを懸念する。');
	// The vote behind it, frozen: Borda with N = 2 gives the HYPERLINK card 2+2+1 = 5.
	await expect(
		current.getByRole('row', { name: new RegExp(`^1 ${escape(TITLES[2])} 5`, 'u') })
	).toBeVisible();

	// Actions: one owned by a member, one by a named organisation.
	const addAction = async (title: string, ownerLabel: string, due: string, org = '') => {
		const form = page.locator('form[action="?/addAction"]');
		await form.getByLabel('アクション', { exact: true }).fill(title);
		await form.getByLabel('担当', { exact: true }).selectOption({ label: ownerLabel });
		if (org) await form.getByLabel('担当組織名').fill(org);
		await form.getByLabel('期限').fill(due);
		await form.getByRole('button', { name: 'アクションを追加' }).click();
		await expect(
			page.getByRole('status').filter({ hasText: 'アクションを追加しました' })
		).toBeVisible();
	};
	await addAction('データ連携の工程表を作る', '担当 A（テスト株式会社）', DUE_FIRST);
	await addAction('予算要求に盛り込む', '組織名で指定する', DUE_SECOND, '経済産業省');
	const actions = page.getByRole('region', { name: 'アクション', exact: true });
	await expect(actions.locator('li.action')).toHaveCount(2);
	await expect(actions).toContainText('経済産業省');
	// Provenance travels with the action.
	await actions.locator('li.action').first().getByText('出典 2 件').click();
	await expect(actions.locator('li.action').first().locator('blockquote').first()).toBeVisible();

	// A revision keeps the first version in the history.
	const revise = page.locator('form[action="?/revise"]');
	await revise.getByLabel('決定したこと').fill('データ連携基盤と人材育成を最優先で整備する');
	await revise.getByRole('button', { name: '新しい版を記録する' }).click();
	await expect(
		page.getByRole('status').filter({ hasText: '新しい版を記録しました' })
	).toBeVisible();
	await expect(current).toContainText('第 2 版');
	await page.getByText('第 1 版 — ファシリテーター').click();
	await expect(page.getByRole('region', { name: '履歴' })).toContainText(
		'データ連携基盤を最優先で整備する'
	);
	expect(await seriousViolations(page)).toEqual([]);

	// The owner finds it on /actions and moves it on.
	await open(owner.page, '/actions');
	const mine = owner.page.locator('li.action', { hasText: 'データ連携の工程表を作る' });
	await expect(mine).toContainText('第 7 期基本計画ワークショップ');
	await expect(owner.page.locator('li.action')).toHaveCount(1);
	await mine.getByLabel('状態').selectOption({ label: '進行中' });
	await mine.getByLabel('メモ').fill('関係省庁と日程調整中');
	await mine.getByRole('button', { name: '更新' }).click();
	await expect(
		owner.page.getByRole('status').filter({ hasText: 'アクションを更新しました' })
	).toBeVisible();
	await owner.page.reload();
	await expect(owner.page.locator('li.action .badge')).toHaveText('進行中');
	expect(await seriousViolations(owner.page)).toEqual([]);

	// Another participant has no form for it, and a forged post is refused without a change.
	await open(other.page, `/boards/${board}/decisions/${decision}`);
	await expect(other.page.getByRole('button', { name: '更新' })).toHaveCount(0);
	const id = await e2eDb()
		.db.selectFrom('actions')
		.select('id')
		.where('title', '=', 'データ連携の工程表を作る')
		.executeTakeFirstOrThrow();
	const forged = await post(other, `/boards/${board}/decisions?/progress`, {
		action: String(id.id),
		status: 'dropped'
	});
	expect(forged.status()).toBe(403);
	// The observer reads decisions but changes nothing.
	await open(obs.page, `/boards/${board}/decisions`);
	await expect(obs.page.getByText('データ連携基盤と人材育成を最優先で整備する')).toBeVisible();
	await expect(obs.page.getByRole('button', { name: '更新' })).toHaveCount(0);
	expect(
		(await post(obs, `/boards/${board}/decisions?/record`, { text: 'x', rationale: '' })).status()
	).toBe(403);
	const status = await e2eDb()
		.db.selectFrom('actions')
		.select('status')
		.where('id', '=', id.id)
		.executeTakeFirstOrThrow();
	expect(status.status).toBe('in_progress');
	expect(await seriousViolations(obs.page)).toEqual([]);
});

function escape(s: string): string {
	return s.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');
}

test('every export downloads and reads back, with provenance, Japanese intact and the formula inert', async () => {
	test.setTimeout(90_000);
	const page = fac.page;
	await open(page, `/boards/${board}/print`);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('第 7 期基本計画ワークショップ');
	expect(await seriousViolations(page)).toEqual([]);

	// CSV: UTF-8 with BOM, Japanese headers, provenance columns, the formula card inert.
	const csvFile = await download(page, 'アクション一覧（CSV、Excel で開けます）');
	expect(csvFile.suggestedFilename()).toMatch(/アクション一覧 \d{4}-\d{2}-\d{2}\.csv$/u);
	const csvText = await readFile((await csvFile.path())!, 'utf8');
	expect(csvText.charCodeAt(0)).toBe(0xfeff);
	const rows = parse(csvText, { bom: true, relax_quotes: false }) as string[][];
	const header = rows[0]!;
	expect(header).toEqual(
		expect.arrayContaining(['アクション', '担当', '期限', '報告書', '節', '引用', '項目 ID'])
	);
	const first = Object.fromEntries(header.map((h, i) => [h, rows[1]![i]]));
	expect(first['アクション']).toBe('データ連携の工程表を作る');
	expect(first['担当']).toBe('担当 A（テスト株式会社）');
	expect(first['期限']).toBe(DUE_FIRST);
	expect(first['状態']).toBe('進行中');
	expect(first['報告書']).toContain(sourceReport);
	expect(first['引用']).toMatch(/^\[1\] .+\n\[2\] /u);
	// The formula title is the second line of the cell: text, since a cell is a formula only when
	// its first character says so — and no cell starts with one (checked next).
	expect(first['カード']).toBe(`${TITLES[0]}\n${TITLES[2]}`);
	for (const row of rows.slice(1)) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@]/u);

	// XLSX: read with exceljs; string cells, a real date, and no formula anywhere.
	const xlsxFile = await download(page, 'アクション一覧（Excel XLSX）');
	const bytes = await readFile((await xlsxFile.path())!);
	const wb = new ExcelJS.Workbook();
	await wb.xlsx.load(new Uint8Array(bytes).buffer);
	const ws = wb.worksheets[0]!;
	const cols = (ws.getRow(1).values as unknown[]).map(String);
	const cell = (name: string) => ws.getRow(2).getCell(cols.indexOf(name));
	expect(cell('アクション').value).toBe('データ連携の工程表を作る');
	expect(cell('期限').value).toEqual(new Date(`${DUE_FIRST}T00:00:00Z`));
	expect(cell('カード').value).toBe(`${TITLES[0]}\n${TITLES[2]}`);
	expect(cell('番号').type).toBe(ExcelJS.ValueType.Number);
	const zip = await JSZip.loadAsync(bytes);
	// The second sheet lists the cards on the board, lane by lane.
	expect(wb.worksheets[1]!.name).toBe('ボードのカード');
	expect(wb.worksheets[1]!.rowCount).toBe(TITLES.length + 1);
	for (const f of Object.keys(zip.files).filter((n) => /^xl\/worksheets\/sheet\d+\.xml$/u.test(n)))
		expect(await zip.file(f)!.async('string')).not.toMatch(/<f[\s>]/u);

	// JSON: the versioned schema, with sources on every action and the frozen vote.
	const jsonFile = await download(page, '全記録（JSON）');
	const json = boardExportV3.parse(JSON.parse(await readFile((await jsonFile.path())!, 'utf8')));
	expect(json.version).toBe(3);
	expect(json.lanes.flatMap((l) => l.cards.map((c) => c.title)).sort()).toEqual([...TITLES].sort());
	expect(json.actions).toHaveLength(2);
	expect(json.actions.every((a) => a.sources.length === 2)).toBe(true);
	expect(json.decisions[0]!.revisions).toHaveLength(2);
	expect(json.decisions[0]!.revisions[0]!.vote?.results.method).toBe('ranking');
	expect(json.votes[0]!.voters).toBeNull();

	// Markdown minutes: rendered, no raw HTML or script links; the dissent by sector is there.
	const mdFile = await download(page, '議事録（Markdown）');
	const md = await readFile((await mdFile.path())!, 'utf8');
	const html = new MarkdownIt({ html: true }).render(md);
	expect(html).not.toMatch(/<script|href="javascript:/iu);
	expect(html).toContain('学術・大学: 基礎研究への配分が減ることを懸念する。');
	expect(html).toContain('HYPERLINK');

	// iCalendar: both due dates.
	const icsFile = await download(page, '期限のカレンダー（iCalendar）');
	const ics = (await readFile((await icsFile.path())!, 'utf8')).replace(/\r\n /gu, '');
	expect(ics.match(/BEGIN:VEVENT/gu)).toHaveLength(2);
	expect(ics).toContain(`DTSTART;VALUE=DATE:${DUE_FIRST.replaceAll('-', '')}`);
	expect(ics).toContain('SUMMARY:予算要求に盛り込む');

	// Vote results: XLSX too, aggregates only.
	const resultsFile = await download(page, 'XLSX');
	const rwb = new ExcelJS.Workbook();
	await rwb.xlsx.load(new Uint8Array(await readFile((await resultsFile.path())!)).buffer);
	const rws = rwb.worksheets[0]!;
	expect(rws.getRow(2).getCell(2).value).toBe(`'${TITLES[2]}`);
	expect(rws.getRow(2).getCell(3).value).toBe(5);
});

test('EXP-05/06 and CSRF-03: who may export what, headers, and no change on GET', async () => {
	// This board's entries only: tests in the other worker write audit entries of their own.
	const count = async () =>
		Number(
			(
				await e2eDb()
					.db.selectFrom('board_audit')
					.where('board_id', '=', board)
					.select((eb) => eb.fn.countAll<number>().as('n'))
					.executeTakeFirstOrThrow()
			).n
		);
	const before = await count();
	const formats = [
		'csv',
		'xlsx',
		'ics',
		'md',
		'json',
		'audit-csv',
		`results-csv&session=${session}`
	];
	const expected: Record<string, number[]> = {
		// csv xlsx ics md json audit results
		facilitator: [200, 200, 200, 200, 200, 200, 200],
		participant: [200, 200, 200, 200, 200, 403, 200],
		observer: [200, 200, 200, 403, 403, 403, 200],
		outsider: [404, 404, 404, 404, 404, 404, 404]
	};
	const who: Record<string, Person> = {
		facilitator: fac,
		participant: other,
		observer: obs,
		outsider
	};
	for (const [role, statuses] of Object.entries(expected))
		for (const [i, f] of formats.entries()) {
			const r = await who[role]!.context.request.get(`/boards/${board}/export?format=${f}`, {
				maxRedirects: 0
			});
			expect(r.status(), `${role} ${f}`).toBe(statuses[i]);
			if (r.status() !== 200) continue;
			const h = r.headers();
			expect(h['cache-control'], f).toContain('no-store');
			expect(h['content-disposition'], f).toMatch(
				/^attachment; filename="[A-Za-z0-9._-]+"; filename\*=UTF-8''\S+$/u
			);
			expect(h['x-content-type-options']).toBe('nosniff');
		}
	// Signed out: to sign-in; unknown formats and stray parameters: 400.
	const anon = await fac.context.browser()!.newContext();
	const r = await anon.request.get(`${E2E.baseURL}/boards/${board}/export?format=csv`, {
		maxRedirects: 0
	});
	expect(r.status()).toBe(303);
	await anon.close();
	for (const q of ['format=exe', 'format=csv&x=1', 'format=results-csv&session=1e3'])
		expect((await fac.context.request.get(`/boards/${board}/export?${q}`)).status(), q).toBe(400);
	// Observers' print page has the action list but not the record.
	await open(obs.page, `/boards/${board}/print`);
	await expect(obs.page.getByRole('link', { name: '議事録（Markdown）' })).toHaveCount(0);
	await expect(obs.page.getByRole('heading', { name: '決定事項' })).toHaveCount(0);
	await expect(obs.page.getByText('データ連携の工程表を作る')).toBeVisible();
	expect(await count()).toBe(before);
});

test('the audit log records votes, decisions, actions and membership changes, for facilitators only', async () => {
	const form = await post(fac, `/boards/${board}/members?/change`, {
		user: String(obs.user.id),
		role: 'participant'
	});
	expect(form.status()).toBe(200);
	await open(fac.page, `/boards/${board}/audit`);
	const log = fac.page.getByRole('table');
	for (const kind of [
		'投票を開始',
		'投票を締切',
		'結果を公開',
		'決定を記録',
		'決定を修正',
		'アクションを追加',
		'アクションを更新',
		'役割を変更'
	])
		await expect(log.getByRole('cell', { name: kind, exact: true }).first()).toBeVisible();
	expect(await seriousViolations(fac.page)).toEqual([]);
	expect((await other.context.request.get(`/boards/${board}/audit`)).status()).toBe(403);
	const csv = await fac.context.request.get(`/boards/${board}/export?format=audit-csv`);
	const rows = parse(await csv.text(), { bom: true }) as string[][];
	expect(rows[0]).toEqual(['日時', '操作した人', '操作', '対象', '内容', '記録（JSON）']);
	expect(
		rows.some(
			(r) =>
				r[2] === '役割を変更' && r[3] === `user:${obs.user.id}` && r[4] === '役割を「参加者」に変更'
		)
	).toBe(true);
});
