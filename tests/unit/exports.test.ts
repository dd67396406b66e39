import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import MarkdownIt from 'markdown-it';
import { describe, expect, test } from 'vitest';
import type { ExportAction, ExportBundle } from '../../src/lib/domain/exports/bundle';
import { contentDisposition } from '../../src/lib/domain/exports/filename';
import { parseExportQuery } from '../../src/lib/domain/exports/formats';
import { guardFormula } from '../../src/lib/domain/exports/guard';
import { actionsCalendar, foldLine, icsText } from '../../src/lib/domain/exports/ics';
import { mdInline, minutesMarkdown } from '../../src/lib/domain/exports/markdown';
import { cardRefsSchema } from '../../src/lib/domain/decisions/schemas';
import {
	boardExportV2,
	boardExportV3,
	readBoardExport,
	toJsonExport
} from '../../src/lib/domain/exports/schema';
import type { ExportLane } from '../../src/lib/domain/exports/cards';
import { EXPORT_SCHEMA_FILE, exportJsonSchema } from '../../src/lib/domain/exports/json-schema';
import { fitCell, SPREADSHEET_CELL_LIMIT } from '../../src/lib/domain/exports/cell-limit';
import { actionTable, cardTable, type Table } from '../../src/lib/domain/exports/table';
import { buildResults } from '../../src/lib/domain/votes/results';
import { translator } from '../../src/lib/i18n/translate';
import { tableToCsv } from '../../src/lib/server/exports/csv';
import { tablesToXlsx } from '../../src/lib/server/exports/xlsx';
import { source } from '../helpers/votes';

const t = translator('ja');
const TODAY = '2026-11-20';

/** Text that breaks naive exporters (EXP-01/02/04). */
const NASTY = [
	'=HYPERLINK("http://x","y")',
	'+1+1',
	'-2+3',
	'@SUM(A1)',
	'\tタブで始まる',
	'\r改行で始まる',
	'カンマ, と "引用符"',
	'一行目\n二行目',
	'CRLF\r\nの行',
	'絵文字 🎌 と 漢字',
	'<script>alert(1)</script>',
	'[click](javascript:alert(1))',
	'<img src=x onerror=alert(1)>',
	'&#106;avascript:alert(1)',
	'| pipe | in | cell |',
	'# not a heading',
	'1. not a list',
	'`code` *em* _em_ ~~del~~'
];

function action(id: number, title: string, over: Partial<ExportAction> = {}): ExportAction {
	return {
		id,
		boardId: 'abcdefghijkl',
		decisionId: 1,
		decision: '人材育成を最優先にする',
		title,
		owner: { kind: 'organisation', name: '経済産業省' },
		due: '2026-12-01',
		status: 'open',
		notes: '',
		cards: [{ id: 'c1', title: '提言 1' }],
		labels: [],
		mergedFrom: [],
		sources: [source(1)],
		createdAt: Date.UTC(2026, 10, 23),
		updatedAt: Date.UTC(2026, 10, 23, 3, 4),
		...over
	};
}

/** A board with a label on a card and a merge that kept the merged card's wording and author. */
const LANES: ExportLane[] = [
	{ title: '', preset: 'unsorted', cards: [] },
	{
		title: '',
		preset: 'top',
		cards: [
			{
				id: 'c1',
				title: '研究人材の育成',
				note: '産業界の視点',
				kind: 'proposal',
				author: '山田',
				labels: ['短期', NASTY[4]!],
				sources: [source(1), source(2)],
				mergedFrom: [
					{ title: NASTY[10]!, note: '現場の声', author: '佐藤', mergedBy: '山田' },
					{ title: '古い統合', note: '', author: null, mergedBy: null }
				],
				comments: [
					{ author: '鈴木', text: NASTY[3]!, at: Date.UTC(2026, 10, 23, 2) },
					{ author: '田中', text: '財源の裏付けが要る', at: Date.UTC(2026, 10, 23, 3) }
				]
			}
		]
	},
	{ title: NASTY[15]!, preset: 'custom', cards: [] }
];

function bundle(actions: ExportAction[]): ExportBundle {
	const results = buildResults({
		session: {
			id: 3,
			title: NASTY[0]!,
			settings: { method: 'ranking', topN: 2 },
			anonymous: true,
			minGroup: 3,
			revealedAt: 1
		},
		cards: [
			{ id: 'c1', title: NASTY[10]!, wordingHash: 'h' },
			{ id: 'c2', title: '提言 2', wordingHash: 'h' }
		],
		ballots: [1, 2, 3].map((i) => ({
			voterId: i,
			name: `v${i}`,
			sector: 'industry',
			entries: [{ cardId: 'c1', value: 1, value2: null, wordingHash: 'h' }]
		})),
		eligible: 4
	});
	return {
		board: {
			id: 'abcdefghijkl',
			title: 'GX ワークショップ',
			purpose: NASTY[11]!,
			workshopDate: '2026-11-23'
		},
		exportedAt: Date.UTC(2026, 10, 23, 9),
		record: true,
		participants: [
			{ sector: 'industry', count: 3, names: ['山田 太郎'] },
			{ sector: 'academia', count: 2, names: [] }
		],
		decisions: [
			{
				id: 1,
				createdAt: Date.UTC(2026, 10, 23),
				revisions: [
					{
						revision: 2,
						text: NASTY[12]!,
						rationale: NASTY.join('\n'),
						dissent: [
							{ sector: 'academia', text: NASTY[13]! },
							{ sector: null, text: NASTY[14]! }
						],
						cards: [
							{
								id: 'c1',
								title: NASTY[15]!,
								sources: [source(1)],
								mergedFrom: [{ title: '重複した付箋', note: '', author: '佐藤', mergedBy: '山田' }]
							}
						],
						vote: { sessionId: 3, results: { ...results, voters: null } },
						recordedBy: NASTY[16]!,
						recordedAt: Date.UTC(2026, 10, 23, 5)
					}
				]
			}
		],
		actions,
		votes: [{ ...results, voters: null }],
		labels: [
			{ name: '短期', color: 'green' },
			{ name: NASTY[4]!, color: 'red' }
		],
		lanes: LANES
	};
}

const nastyActions = () =>
	NASTY.map((s, i) =>
		action(i + 1, s, {
			notes: NASTY[(i + 1) % NASTY.length]!,
			owner: { kind: 'organisation', name: NASTY[(i + 2) % NASTY.length]! },
			sources: [{ ...source(i + 1), quote: NASTY[(i + 3) % NASTY.length]! }, source(99)]
		})
	);

describe('CSV', () => {
	test('EXP-01 RFC 4180 round trip through a strict parser, UTF-8 BOM and CRLF', () => {
		const table: Table = {
			name: 'x',
			columns: [
				{ header: 'テキスト', width: 10 },
				{ header: 'n', width: 4 }
			],
			rows: NASTY.map((s, i) => [s, i - 5])
		};
		const csv = tableToCsv(table, t);
		expect(csv.startsWith('\uFEFF')).toBe(true);
		expect(csv.endsWith('\r\n')).toBe(true);
		// Outside quoted fields every line break is CRLF.
		const unquoted = csv.replace(/"(?:[^"]|"")*"/gu, '');
		expect(unquoted).not.toMatch(/[^\r]\n|\r(?!\n)/u);
		const rows = parse(csv, {
			bom: true,
			relax_quotes: false,
			relax_column_count: false
		}) as string[][];
		expect(rows).toHaveLength(NASTY.length + 1);
		expect(rows[0]).toEqual(['テキスト', 'n']);
		NASTY.forEach((s, i) => expect(rows[i + 1]).toEqual([guardFormula(s), String(i - 5)]));
	});

	test('EXP-02 every text cell starting with = + - @ TAB CR is guarded; numbers are not', () => {
		for (const s of ['=1', '+1', '-1', '@x', '\tx', '\rx', '\0x'])
			expect(guardFormula(s)).toBe(`'${s}`);
		for (const s of ['1', 'a=1', ' =1', '提言', '']) expect(guardFormula(s)).toBe(s);
		const rows = parse(tableToCsv(actionTable(nastyActions(), TODAY, t), t), {
			bom: true
		}) as string[][];
		for (const row of rows.slice(1))
			for (const cell of row) expect(cell, cell).not.toMatch(/^[=+\-@\t\r]/u);
		const hyperlink = rows.find((r) => r[1]?.includes('HYPERLINK'));
		expect(hyperlink?.[1]).toBe(`'=HYPERLINK("http://x","y")`);
	});

	test('every action row carries report, section, quote and item of its sources', () => {
		const rows = parse(tableToCsv(actionTable([action(7, '研究人材の育成')], TODAY, t), t), {
			bom: true
		}) as string[][];
		const header = rows[0]!;
		const row = rows[1]!;
		const col = (name: string) => row[header.indexOf(name)];
		expect(col('報告書')).toBe(source(1).reportTitle);
		expect(col('節')).toBe(source(1).sectionLabel);
		expect(col('引用')).toBe(source(1).quote);
		expect(col('項目 ID')).toBe('cocn25-001');
		expect(col('期限')).toBe('2026-12-01');
	});
});

describe('labels and merged cards', () => {
	test("the action list carries its cards' labels and who wrote the cards merged into them", () => {
		const a = action(1, '工程表', {
			labels: ['短期', '要検討'],
			mergedFrom: [
				{ title: '重複', note: '一行目\n二行目', author: '佐藤', mergedBy: '山田' },
				{ title: '古い統合', note: '', author: null, mergedBy: null }
			]
		});
		const rows = parse(tableToCsv(actionTable([a], TODAY, t), t), { bom: true }) as string[][];
		const col = (name: string) => rows[1]![rows[0]!.indexOf(name)];
		expect(col('ラベル')).toBe('短期\n要検討');
		expect(col('統合元')).toBe(
			'統合元: 重複（佐藤）: 一行目\n二行目 — 山田 が統合\n統合元: 古い統合'
		);
		const en = parse(tableToCsv(actionTable([a], TODAY, translator('en')), translator('en')), {
			bom: true
		}) as string[][];
		expect(en[1]![en[0]!.indexOf('Merged from')]).toContain('Merged from: 重複 (佐藤)');
	});

	test('the card sheet lists every card on the board by lane with labels, merges and sources', () => {
		const rows = parse(tableToCsv(cardTable(LANES, t), t), { bom: true }) as string[][];
		expect(rows).toHaveLength(2);
		const col = (name: string) => rows[1]![rows[0]!.indexOf(name)];
		expect(col('レーン')).toBe('最優先');
		expect(col('カード')).toBe('研究人材の育成');
		expect(col('種別')).toBe('提言');
		expect(col('書いた人')).toBe('山田');
		expect(col('ラベル')).toBe(`短期\n${NASTY[4]!}`);
		expect(col('統合元')).toContain('（佐藤）: 現場の声');
		expect(col('項目 ID')).toBe('[1] cocn25-001\n[2] cocn25-002');
	});

	test("minutes list the board by lane, with labels and every merged card's wording and author", () => {
		const md = minutesMarkdown(bundle([]), t);
		const html = new MarkdownIt().render(md);
		expect(html).toContain('<h2>ボードのカード</h2>');
		expect(html).toContain('<h3>最優先 (1)</h3>');
		expect(html).toContain('研究人材の育成 〔短期・');
		expect(html).toContain('統合元: &lt;script&gt;alert(1)&lt;/script&gt;（佐藤）: 現場の声');
		expect(html).toContain('統合元: 古い統合');
		// The decision's cards keep what was merged into them when it was recorded.
		expect(html).toContain('統合元: 重複した付箋（佐藤）');
		expect(html).not.toMatch(/<script/u);
	});
});

describe('XLSX', () => {
	test('EXP-03 string cells, no formulas, numbers numeric, dates as dates, Japanese intact', async () => {
		const data = await tablesToXlsx([actionTable(nastyActions(), TODAY, t)], '=タイトル', t);
		const wb = new ExcelJS.Workbook();
		await wb.xlsx.load(data.buffer);
		const ws = wb.worksheets[0]!;
		expect(ws.name).toBe('アクション一覧');
		expect(ws.getRow(1).getCell(2).value).toBe('アクション');
		expect(ws.getColumn(13).width).toBe(60);
		const titles = NASTY.map((_, i) => ws.getRow(i + 2).getCell(2).value);
		// Spreadsheet line breaks are LF: CR and CRLF arrive as LF (after the guard has seen them).
		expect(titles).toEqual(NASTY.map((s) => guardFormula(s).replace(/\r\n?/gu, '\n')));
		expect(ws.getRow(2).getCell(1).value).toBe(1);
		expect(ws.getRow(2).getCell(1).type).toBe(ExcelJS.ValueType.Number);
		const due = ws.getRow(2).getCell(4);
		expect(due.type).toBe(ExcelJS.ValueType.Date);
		expect((due.value as Date).toISOString()).toBe('2026-12-01T00:00:00.000Z');
		expect(due.numFmt).toBe('yyyy-mm-dd');

		const zip = await JSZip.loadAsync(data);
		const sheets = Object.keys(zip.files).filter((f) => /^xl\/worksheets\/sheet\d+\.xml$/u.test(f));
		expect(sheets.length).toBeGreaterThan(0);
		for (const f of sheets) {
			const xml = await zip.file(f)!.async('string');
			expect(xml).not.toMatch(/<f[\s>]/u);
			// The id column (A) holds numbers: no shared-string type on those cells.
			expect(xml).toMatch(/<c r="A2"(?![^>]*t="s")[^>]*><v>1<\/v>/u);
		}
		const strings = await zip.file('xl/sharedStrings.xml')!.async('string');
		expect(strings).toContain('絵文字 🎌 と 漢字');
	});
});

describe('cells longer than a spreadsheet holds', () => {
	const LIMIT = SPREADSHEET_CELL_LIMIT;
	const note = (n: number) => t('export.truncated', { n });
	const en = translator('en');

	test('EXP-07 text up to the limit is kept whole; longer text is cut with a note, within the limit', () => {
		const exact = 'あ'.repeat(LIMIT);
		expect(fitCell(exact, note)).toBe(exact);
		for (const length of [LIMIT + 1, 40_000, 100_000]) {
			const long = 'い'.repeat(length);
			const cut = fitCell(long, note);
			expect(cut.length).toBeLessThanOrEqual(LIMIT);
			expect(cut.length).toBeGreaterThan(LIMIT - 100);
			const kept = cut.indexOf('…');
			// The note states exactly how much is left out.
			expect(cut.slice(kept)).toBe(note(length - kept));
			expect(cut.slice(0, kept)).toBe(long.slice(0, kept));
		}
		expect(fitCell('x'.repeat(40_000), (n) => en('export.truncated', { n }))).toMatch(
			/…\[truncated: 7\d{3} more characters; spreadsheets hold at most 32,767 per cell\]$/u
		);
	});

	test('EXP-07 a cut never splits a character made of two code units', () => {
		const emoji = '🎌'.repeat(20_000); // 40,000 code units
		for (let pad = 0; pad < 4; pad++) {
			const cut = fitCell('a'.repeat(pad) + emoji, note);
			expect(cut.length).toBeLessThanOrEqual(LIMIT);
			const kept = cut.slice(0, cut.indexOf('…'));
			expect(kept).not.toMatch(/[\uD800-\uDBFF]$/u);
			// Counted in characters, as a reader counts them.
			const omitted = [...('a'.repeat(pad) + emoji).slice(kept.length)].length;
			expect(cut.endsWith(note(omitted))).toBe(true);
		}
	});

	const longTable = (text: string): Table => ({
		name: 'x',
		columns: [
			{ header: 'テキスト', width: 10 },
			{ header: 'n', width: 4 }
		],
		rows: [
			[text, 1],
			['短い', 2]
		]
	});

	test('EXP-07 CSV cells over 32,767 characters are cut with the note; others untouched', () => {
		const rows = parse(tableToCsv(longTable('=' + 'う'.repeat(40_000)), t), {
			bom: true
		}) as string[][];
		const cell = rows[1]![0]!;
		expect(cell.length).toBeLessThanOrEqual(LIMIT);
		// The formula guard still leads; the note ends the cell.
		expect(cell.startsWith(`'=うう`)).toBe(true);
		expect(cell).toMatch(/…［以下 \d+ 文字省略：/u);
		expect(rows[2]).toEqual(['短い', '2']);
	});

	test('EXP-07 XLSX cells over 32,767 characters are cut with the note', async () => {
		const data = await tablesToXlsx([longTable('え'.repeat(40_000))], 'タイトル', t);
		const wb = new ExcelJS.Workbook();
		await wb.xlsx.load(data.buffer);
		const value = wb.worksheets[0]!.getRow(2).getCell(1).value as string;
		expect(value.length).toBeLessThanOrEqual(LIMIT);
		expect(value).toMatch(/^え+…［以下 [\d,]+ 文字省略：/u);
		expect(wb.worksheets[0]!.getRow(3).getCell(1).value).toBe('短い');
	});
});

describe('Markdown minutes', () => {
	const md = minutesMarkdown(bundle(nastyActions()), t);

	test('EXP-04 user text renders as text: no HTML, no javascript: links, tables keep their columns', () => {
		for (const html of [false, true]) {
			const out = new MarkdownIt({ html, linkify: true }).render(md);
			// No element but Markdown's own, no event-handler attribute, no script link.
			expect(out).not.toMatch(/<(script|img|iframe)|<[^>]*\son\w+=|href="(javascript|data):/iu);
			// Linkify may turn a bare http URL into a link; never anything else.
			for (const [, href] of out.matchAll(/<a href="([^"]*)"/gu))
				expect(href).toMatch(/^https?:\/\//u);
			// The action table first, then each revealed vote's: every row keeps its header's columns.
			const tables = out.match(/<table>[\s\S]*?<\/table>/gu) ?? [];
			expect(tables.length).toBe(2);
			tables.forEach((table, i) => {
				const rows = table.match(/<tr>[\s\S]*?<\/tr>/gu) ?? [];
				if (i === 0) expect(rows.length).toBe(NASTY.length + 1);
				for (const r of rows) expect((r.match(/<t[dh][ >]/gu) ?? []).length).toBe(i === 0 ? 6 : 4);
			});
		}
	});

	test('minutes carry board, date, participants, decisions with rationale and dissent, actions', () => {
		const text = new MarkdownIt().render(md);
		expect(text).toContain('<h1>GX ワークショップ</h1>');
		expect(text).toContain('2026-11-23');
		expect(text).toContain('産業界: 3（山田 太郎）');
		expect(text).toContain('学術・大学: 2</li>');
		// Revealed votes with their whole published ranking; every card's comments.
		expect(text).toContain('<h2>公開済みの投票</h2>');
		expect(text).toContain('コメント（田中）: 財源の裏付けが要る');
		expect(text).toContain('— 山田 が統合');
		expect(text).toContain('決定 1（第 2 版）');
		expect(text).toContain('理由');
		expect(text).toContain('学術・大学: &amp;#106;avascript:alert(1)');
		expect(text).toContain(source(99).quote);
		// Headings and list markers in user text stay literal.
		expect(mdInline('# not a heading')).toBe('\\# not a heading');
		expect(mdInline('1. not a list')).toBe('1\\. not a list');
	});
});

describe('JSON', () => {
	test('the export matches its versioned schema, also after a round trip through text', () => {
		const json = toJsonExport(bundle(nastyActions()));
		expect(json.format).toBe('yoriai.board-export');
		expect(json.version).toBe(3);
		const again = boardExportV3.parse(JSON.parse(JSON.stringify(json)));
		expect(again.actions[0]!.sources[0]).toMatchObject({ reportTitle: source(1).reportTitle });
		expect(again.votes[0]!.voters).toBeNull();
		expect(again.labels.map((l) => l.color)).toEqual(['green', 'red']);
		const card = again.lanes[1]!.cards[0]!;
		expect(card.labels).toEqual(['短期', NASTY[4]]);
		expect(card.mergedFrom[0]).toEqual({
			title: NASTY[10],
			note: '現場の声',
			author: '佐藤',
			mergedBy: '山田'
		});
		expect(again.decisions[0]!.revisions[0]!.cards[0]!.mergedFrom).toHaveLength(1);
		expect(card.comments).toEqual([
			{ author: '鈴木', text: NASTY[3], at: '2026-11-23T02:00:00.000Z' },
			{ author: '田中', text: '財源の裏付けが要る', at: '2026-11-23T03:00:00.000Z' }
		]);
		expect(again.participants).toEqual([
			{ sector: 'industry', count: 3, names: ['山田 太郎'] },
			{ sector: 'academia', count: 2, names: [] }
		]);
		expect(() => boardExportV3.parse({ ...json, extra: 1 })).toThrow();
		expect(() => boardExportV3.parse({ ...json, version: 2 })).toThrow();
		// Decisions recorded before merges kept their cards still read.
		expect(cardRefsSchema.parse([{ id: 'c1', title: 'x', sources: [] }])).toEqual([
			{ id: 'c1', title: 'x', sources: [] }
		]);
	});
});

describe('JSON versions and the JSON Schema file', () => {
	const json = JSON.parse(JSON.stringify(toJsonExport(bundle(nastyActions())))) as Record<
		string,
		unknown
	>;
	/** The same record as version 2 wrote it: no names, no comments. */
	const v2 = (): Record<string, unknown> => {
		const v3 = boardExportV3.parse(json);
		return {
			...v3,
			version: 2,
			participants: v3.participants.map(({ names: _names, ...p }) => p),
			lanes: v3.lanes.map((l) => ({
				...l,
				cards: l.cards.map(({ comments: _comments, ...c }) => c)
			}))
		};
	};

	test('a version 2 file still reads, as version 3 with no names and no comments', () => {
		expect(boardExportV2.parse(v2()).version).toBe(2);
		const read = readBoardExport(v2())!;
		expect(read.version).toBe(3);
		expect(read.participants.every((p) => p.names.length === 0)).toBe(true);
		expect(read.lanes[1]!.cards[0]!.comments).toEqual([]);
		expect(read.lanes[1]!.cards[0]!.mergedFrom).toHaveLength(2);
		expect(readBoardExport(json)).toEqual(boardExportV3.parse(json));
		expect(readBoardExport({ ...json, version: 1 })).toBeNull();
		expect(readBoardExport({ format: 'something-else', version: 3 })).toBeNull();
	});

	test(`the export validates against ${EXPORT_SCHEMA_FILE} (ajv, JSON Schema 2020-12), which is up to date`, () => {
		const file = JSON.parse(readFileSync(EXPORT_SCHEMA_FILE, 'utf8')) as Record<string, unknown>;
		// Regenerate with `npm run schema:export` when the zod schema changes.
		expect(file).toEqual(exportJsonSchema());
		const ajv = new Ajv2020({ allErrors: true, strict: true });
		addFormats(ajv);
		const validate = ajv.compile(file);
		expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
		// The schema is not a rubber stamp: it refuses what a v3 reader could not read.
		const broken = structuredClone(json) as { lanes: { cards: { comments?: unknown }[] }[] };
		delete broken.lanes[1]!.cards[0]!.comments;
		expect(validate(broken)).toBe(false);
		expect(validate(v2())).toBe(false);
		expect(validate({ ...json, exportedAt: 'yesterday' })).toBe(false);
		expect(validate({ ...json, participants: [{ sector: 'martians', count: 1, names: [] }] })).toBe(
			false
		);
	});
});

describe('iCalendar', () => {
	test('RFC 5545: CRLF, escaped text, lines folded at 75 octets without splitting characters', () => {
		const actions = [...nastyActions(), action(99, '期限なし', { due: null })];
		const ics = actionsCalendar(bundle(actions), t, 'yoriai.example');
		expect(ics.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n')).toBe(true);
		expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
		const physical = ics.split('\r\n').slice(0, -1);
		for (const line of physical) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
		expect(ics.replace(/\r\n/gu, '')).not.toMatch(/[\r\n]/u);
		const unfolded = ics.replace(/\r\n /gu, '');
		expect(unfolded.match(/BEGIN:VEVENT/gu)).toHaveLength(NASTY.length);
		expect(unfolded).toContain('UID:yoriai-abcdefghijkl-action-1@yoriai.example');
		expect(unfolded).toContain('DTSTART;VALUE=DATE:20261201');
		expect(unfolded).toContain('DTEND;VALUE=DATE:20261202');
		expect(unfolded).toContain(`SUMMARY:${icsText('カンマ, と "引用符"')}`);
		expect(icsText('a;b,c\\d\ne')).toBe('a\\;b\\,c\\\\d\\ne');
		const long = 'あ'.repeat(100);
		expect(foldLine(long).replace(/\r\n /gu, '')).toBe(long);
	});
});

describe('download headers and requests', () => {
	test('EXP-06 Content-Disposition: ASCII fallback and UTF-8 filename*, nothing that breaks the header', () => {
		const h = contentDisposition(
			'yoriai-x',
			'GX "議論"\r\nSet-Cookie: a=b; /..\\',
			'アクション一覧',
			'csv'
		);
		expect(h).not.toMatch(/[\r\n]/u);
		const [, ascii] = /filename="([^"]*)"/u.exec(h)!;
		expect(ascii).toBe('yoriai-x.csv');
		const [, ext] = /filename\*=UTF-8''(\S+)$/u.exec(h)!;
		expect(ext).toMatch(/^[A-Za-z0-9!#$&+.^_`|~%-]+$/u);
		const name = decodeURIComponent(ext!);
		expect(name).toBe('GX 議論 Set-Cookie a=b .. アクション一覧.csv');
		expect([...contentDisposition('x', 'あ'.repeat(500), 's', 'csv')].length).toBeLessThan(1000);
	});

	test('export queries: known formats only, single values, strict session ids', () => {
		const q = (s: string) => parseExportQuery(new URLSearchParams(s));
		expect(q('format=csv')).toEqual({ format: 'csv' });
		expect(q('format=results-xlsx&session=12')).toEqual({ format: 'results-xlsx', session: 12 });
		for (const bad of [
			'',
			'format=exe',
			'format=csv&format=md',
			'format=csv&x=1',
			'format=csv&session=1',
			'format=results-csv',
			'format=results-csv&session=1e3',
			'format=results-csv&session=-1',
			'format=__proto__'
		])
			expect(q(bad), bad).toBeNull();
	});
});
