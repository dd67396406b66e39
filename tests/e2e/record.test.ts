import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import MarkdownIt from 'markdown-it';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import {
	addComment,
	addLane,
	mergeCards,
	moveCard,
	readBoard
} from '../../src/lib/domain/board/doc';
import { EXPORT_SCHEMA_FILE } from '../../src/lib/domain/exports/json-schema';
import { boardExportV3 } from '../../src/lib/domain/exports/schema';
import { seriousViolations } from './a11y';
import { craftedClient } from './crafted-client';
import { dueIn, expect, open, test } from './fixtures';
import { person, post, sessionCards, TITLES, voteBoard, type Person } from './votes-helpers';

/**
 * The record holds the whole workshop: a board with a custom lane, a merge, comments, a revealed
 * vote, a decision with dissent and actions is exported as Markdown, JSON (validated against
 * the published JSON Schema file) and the print page, which Chromium renders to an A4 PDF whose
 * pages never end on a heading. Names appear only for those who agreed on their account page.
 */
test.describe.configure({ mode: 'serial' });

let board: string;
let fac: Person;
let named: Person;
let unnamed: Person;
let obs: Person;
const LANE = '重点テーマ';
const COMMENT = '財源の裏付けを次回までに確認したい';
const DISSENT = '中小企業への負担が重すぎる。';
const ACTIONS = ['データ連携の工程表を作る', '予算要求に盛り込む'];

test.beforeAll(async ({ browser }) => {
	test.setTimeout(90_000);
	fac = await person(browser, '司会 記録', 'government');
	named = await person(browser, '名前 載せる', 'industry');
	unnamed = await person(browser, '名前 伏せる', 'industry');
	obs = await person(browser, '記者 閲覧', 'media');
	board = await voteBoard(fac.user, [
		[named.user, 'participant'],
		[unnamed.user, 'participant'],
		[obs.user, 'observer']
	]);

	// The board: a lane of the facilitator's, a merge and comments, written through the realtime
	// server as the board page would.
	const facDoc = await craftedClient(fac.user, board);
	const pDoc = await craftedClient(named.user, board);
	try {
		const cards = readBoard(facDoc.doc).lanes.flatMap((l) => l.cards);
		const byTitle = (t: string) => cards.find((c) => c.title === t)!.id;
		const lane = addLane(facDoc.doc, LANE);
		moveCard(facDoc.doc, byTitle(TITLES[0]), lane, 0);
		mergeCards(
			facDoc.doc,
			byTitle(TITLES[1]),
			[byTitle(TITLES[4])],
			{ id: fac.user.id, name: '司会 記録' },
			Date.now()
		);
		await expect
			.poll(() => readBoard(pDoc.doc).lanes.find((l) => l.id === lane)?.cards.length)
			.toBe(1);
		addComment(pDoc.doc, byTitle(TITLES[0]), {
			text: COMMENT,
			author: { id: named.user.id, name: '名前 載せる' },
			now: Date.now()
		});
		await expect
			.poll(async () => {
				const r = await fac.context.request.get(`/boards/${board}/export?format=json`);
				const json = boardExportV3.parse(await r.json());
				return json.lanes.flatMap((l) => l.cards.flatMap((c) => c.comments)).length;
			})
			.toBe(1);
	} finally {
		facDoc.destroy();
		pDoc.destroy();
	}

	// A revealed vote, a decision with dissent backed by it, and two actions.
	const opened = await post(fac, `/boards/${board}/votes?/open`, {
		title: '優先順位',
		method: 'dots',
		scope: 'all',
		budget: '3',
		cap: '3',
		anonymous: 'on',
		min_group: '3'
	});
	expect(opened.status()).toBe(303);
	const session = Number(/\/votes\/(\d+)$/u.exec(opened.headers().location ?? '')![1]);
	const voteCards = await sessionCards(session);
	for (const p of [named, unnamed])
		expect(
			(
				await post(p, `/boards/${board}/votes/${session}?/cast`, {
					[`c.${voteCards[0]}`]: '2',
					[`c.${voteCards[1]}`]: '1'
				})
			).status()
		).toBe(200);
	expect((await post(fac, `/boards/${board}/votes/${session}?/close`, {})).status()).toBe(200);
	expect((await post(fac, `/boards/${board}/votes/${session}?/reveal`, {})).status()).toBe(200);
	const decided = await post(fac, `/boards/${board}/decisions?/record`, {
		text: 'データ連携基盤を最優先で整備する',
		rationale: '全セクターが上位に挙げた。',
		vote: String(session),
		card: voteCards[0]!,
		dissent_sector_0: 'industry',
		dissent_text_0: DISSENT
	});
	expect(decided.status()).toBe(303);
	const decision = /\/decisions\/(\d+)$/u.exec(decided.headers().location ?? '')![1];
	for (const [i, title] of ACTIONS.entries())
		expect(
			(
				await post(fac, `/boards/${board}/decisions/${decision}?/addAction`, {
					title,
					owner: i === 0 ? `u:${named.user.id}` : 'org',
					owner_name: i === 0 ? '' : '経済産業省',
					due: dueIn(30 + i)
				})
			).status()
		).toBe(200);
});

test.afterAll(async () => {
	for (const p of [fac, named, unnamed, obs]) await p?.context.close();
});

test('a participant agrees on the account page to be named in records; it is off by default', async () => {
	const page = named.page;
	await open(page, '/account');
	const consent = page.getByRole('checkbox', { name: 'ワークショップの記録に名前を載せる' });
	await expect(consent).not.toBeChecked();
	await consent.check();
	await page.getByRole('button', { name: '保存' }).first().click();
	await expect(page.getByText('プロフィールを保存しました。')).toBeVisible();
	await page.reload();
	await expect(consent).toBeChecked();
	expect(await seriousViolations(page)).toEqual([]);
});

test('Markdown and JSON hold the whole workshop; the JSON validates against the schema file', async () => {
	const get = (format: string) =>
		fac.context.request.get(`/boards/${board}/export?format=${format}`);

	const md = await (await get('md')).text();
	const html = new MarkdownIt().render(md);
	expect(html).toContain('<h1>第 7 期基本計画ワークショップ</h1>');
	expect(html).toContain('開催日: 2026-11-23');
	// Two industry participants, one of whom agreed to be named; the other only counted.
	expect(html).toContain('産業界: 2（名前 載せる）');
	expect(html).not.toContain('名前 伏せる');
	expect(html).toContain(`<h3>${LANE} (1)</h3>`);
	expect(html).toContain(`コメント（名前 載せる）: ${COMMENT}`);
	expect(html).toContain(`統合元: ${TITLES[4]}`);
	expect(html).toContain('司会 記録 が統合');
	expect(html).toContain('<h2>公開済みの投票</h2>');
	expect(html).toContain('<h3>優先順位</h3>');
	expect(html).toContain('全セクターが上位に挙げた。');
	expect(html).toContain(`産業界: ${DISSENT}`);
	for (const a of ACTIONS) expect(html).toContain(a);

	const raw = (await (await get('json')).json()) as unknown;
	const ajv = new Ajv2020({ allErrors: true });
	addFormats(ajv);
	const validate = ajv.compile(JSON.parse(readFileSync(EXPORT_SCHEMA_FILE, 'utf8')) as object);
	expect(validate(raw), JSON.stringify(validate.errors)).toBe(true);
	const json = boardExportV3.parse(raw);
	expect(json.version).toBe(3);
	expect(json.board.title).toBe('第 7 期基本計画ワークショップ');
	expect(json.participants).toContainEqual({
		sector: 'industry',
		count: 2,
		names: ['名前 載せる']
	});
	const lanes = json.lanes.map((l) => l.title || l.preset);
	expect(lanes.at(-1)).toBe(LANE);
	const cards = json.lanes.flatMap((l) => l.cards);
	expect(cards.find((c) => c.title === TITLES[0])!.comments).toMatchObject([
		{ author: '名前 載せる', text: COMMENT }
	]);
	expect(cards.find((c) => c.title === TITLES[1])!.mergedFrom).toMatchObject([
		{ title: TITLES[4], mergedBy: '司会 記録' }
	]);
	expect(cards.every((c) => c.sources.every((s) => s.quote.length > 0))).toBe(true);
	expect(json.votes.map((v) => v.title)).toEqual(['優先順位']);
	expect(json.decisions[0]!.revisions[0]!.dissent).toEqual([{ sector: 'industry', text: DISSENT }]);
	expect(json.actions.map((a) => a.title)).toEqual(ACTIONS);
});

test('the print page holds the whole workshop, each quote once as a numbered note', async () => {
	const page = fac.page;
	await open(page, `/boards/${board}/print`);
	const doc = page.locator('article.document');
	await expect(doc.getByRole('heading', { level: 1 })).toHaveText('第 7 期基本計画ワークショップ');
	await expect(doc).toContainText('産業界: 2（名前 載せる）');
	await expect(doc).not.toContainText('名前 伏せる');
	await expect(doc.getByRole('heading', { name: LANE })).toBeVisible();
	await expect(doc).toContainText(COMMENT);
	await expect(doc).toContainText('司会 記録 が統合');
	await expect(doc.getByRole('heading', { name: '公開済みの投票' })).toBeVisible();
	await expect(doc).toContainText(DISSENT);
	for (const a of ACTIONS) await expect(doc.locator('table.actions')).toContainText(a);
	// Every quote once, in the notes; the action rows cite numbers, not quotes.
	const quotes = await doc.locator('q').allTextContents();
	expect(quotes.length).toBeGreaterThan(0);
	expect(new Set(quotes).size).toBe(quotes.length);
	expect(await doc.locator('table.actions q').count()).toBe(0);
	await expect(doc.locator('table.actions .ref').first()).toHaveText(/^\[\d+\]$/u);
	expect(await seriousViolations(page)).toEqual([]);

	// Observers keep to the README's policy: the action list, no cards, comments or names.
	await open(obs.page, `/boards/${board}/print`);
	const seen = obs.page.locator('article.document');
	await expect(seen.locator('table.actions')).toContainText(ACTIONS[0]!);
	await expect(seen).not.toContainText(COMMENT);
	await expect(seen).not.toContainText('参加者（セクター別）');
	await expect(seen.getByRole('heading', { name: 'ボードのカード' })).toHaveCount(0);
	expect((await obs.context.request.get(`/boards/${board}/export?format=json`)).status()).toBe(403);
});

test('the print page renders to an A4 PDF whose pages never end on a heading', async () => {
	test.setTimeout(60_000);
	const page = fac.page;
	await open(page, `/boards/${board}/print`);
	await page.emulateMedia({ media: 'print' });
	// What the print CSS asks of the browser: headings stay with what follows, rows and cards whole,
	// Japanese broken at phrases.
	const styles = await page.evaluate(() => {
		const doc = document.querySelector('article.document')!;
		const of = (sel: string) =>
			[...doc.querySelectorAll(sel)].map((e) => {
				const s = getComputedStyle(e);
				return { after: s.breakAfter, inside: s.breakInside };
			});
		return {
			headings: of('h1, h2, h3, h4'),
			rows: of('tr, .card'),
			wordBreak: getComputedStyle(doc).wordBreak
		};
	});
	expect(styles.headings.length).toBeGreaterThan(8);
	for (const h of styles.headings) expect(h).toEqual({ after: 'avoid', inside: 'avoid' });
	for (const r of styles.rows) expect(r.inside).toBe('avoid');
	expect(styles.wordBreak).toBe('auto-phrase');
	const headings = (
		await page.locator('article.document').locator('h1, h2, h3, h4').allInnerTexts()
	)
		.map((h) => h.replace(/\s+/gu, ''))
		.filter((h) => h.length > 0);

	const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true });
	const file = await getDocument({ data: new Uint8Array(pdf), useSystemFonts: false }).promise;
	expect(file.numPages).toBeGreaterThan(1);
	const lastLines: string[] = [];
	let all = '';
	for (let n = 1; n <= file.numPages; n++) {
		const content = await (await file.getPage(n)).getTextContent();
		// Lines by baseline; the page's last line is the one lowest on it (PDF y grows upwards).
		const lines = new Map<number, string>();
		for (const item of content.items) {
			if (!('str' in item) || item.str.trim() === '') continue;
			const y = Math.round(item.transform[5] as number);
			lines.set(y, (lines.get(y) ?? '') + item.str);
		}
		const ys = [...lines.keys()].sort((a, b) => a - b);
		const last = (lines.get(ys[0]!) ?? '').replace(/\s+/gu, '');
		all += [...lines.values()].join('');
		if (n < file.numPages) lastLines.push(last);
	}
	// The text is real text (Japanese included), so the check below reads what is printed.
	expect(all.replace(/\s+/gu, '')).toContain(LANE);
	for (const last of lastLines) expect(headings).not.toContain(last);
});
