import { describe, expect, test } from 'vitest';
import { analyseSource } from '../../src/lib/server/library-import/analyse';
import {
	ImportError,
	type ImportErrorCode
} from '../../src/lib/server/library-import/import-error';
import { IMPORT_LIMITS } from '../../src/lib/server/library-import/limits';
import { sniffFormat } from '../../src/lib/server/library-import/sniff';
import {
	corruptPdf,
	docxFrom,
	encryptedPdf,
	imageOnlyPdf,
	pdfFromPages,
	zipBombDocx
} from '../helpers/import-files';

/**
 * Issue 17: a report file, from bytes to candidates, and every kind of bad file refused with its
 * own reason (INP-series: bad input gets a clear error and changes nothing — nothing is stored
 * here at all, the analysis is pure until a draft is saved).
 */

async function refusal(p: Promise<unknown>): Promise<ImportErrorCode> {
	try {
		await p;
	} catch (e) {
		if (e instanceof ImportError) return e.code;
		throw e;
	}
	throw new Error('not refused');
}

// From the COCN proposal (004): an issue section and a proposal section.
const COCN = [
	'1. 科学技術政策ガバナンス強化',
	'《問題意識》',
	'- ✓ 政策に優先度を付け、イノベーションにつなぐ仕組みがなく、戦略的に推進シナリオを描く機能が不足しているのではないか',
	'《提言》',
	'- ✓ 国民が目指す国家像を描き、共有を図るべきである'
].join('\n');

describe('plain text and Markdown', () => {
	test('UTF-8 text: outline and candidates', async () => {
		const a = await analyseSource({ name: 'cocn.txt', bytes: Buffer.from(COCN, 'utf8') });
		expect(a.format).toBe('text');
		expect(a.encoding).toBe('utf-8');
		expect(a.outline.map((s) => s.title)).toEqual([
			'科学技術政策ガバナンス強化',
			'問題意識',
			'提言'
		]);
		expect(a.candidates.map((c) => c.kind)).toEqual(['issue', 'proposal']);
	});

	test('Shift_JIS text reads the same as UTF-8', async () => {
		const sjis = Buffer.from(
			// 「課題が山積している。」 in Shift_JIS, as a Windows editor writes it.
			'89db91e882aa8e5290cf82b582c482a282e98142',
			'hex'
		);
		const a = await analyseSource({ name: 'memo.txt', bytes: sjis });
		expect(a.encoding).toBe('shift_jis');
		expect(a.text).toBe('課題が山積している。');
	});

	test('Markdown headings make the outline', async () => {
		const md =
			'# 基本計画\n## 現状と課題\n研究人材が不足している。\n## 提言\n博士人材の処遇を改善すべきである。';
		const a = await analyseSource({ name: 'plan.md', bytes: Buffer.from(md) });
		expect(a.outline.map((s) => [s.title, s.depth])).toEqual([
			['基本計画', 0],
			['現状と課題', 1],
			['提言', 1]
		]);
		expect(a.candidates.map((c) => c.rule)).toEqual(['issue.shortfall', 'proposal.beki']);
	});

	test('bytes that are neither UTF-8 nor Shift_JIS are refused', async () => {
		expect(
			await refusal(
				analyseSource({ name: 'x.txt', bytes: Buffer.from([0x82, 0xff, 0xfe, 0x81, 0x20]) })
			)
		).toBe('unknown_encoding');
	});
});

describe('bad files', () => {
	test('too large: refused before anything is read', async () => {
		// A 200 MB upload never reaches this far (the form's body limit stops it); the check here
		// holds for any caller, with the same limit.
		const big = new Uint8Array(IMPORT_LIMITS.maxBytes + 1);
		expect(await refusal(analyseSource({ name: 'big.pdf', bytes: big }))).toBe('too_large');
	});

	test('empty, unknown extension, and extensions that lie', async () => {
		expect(await refusal(analyseSource({ name: 'a.txt', bytes: new Uint8Array() }))).toBe('empty');
		expect(await refusal(analyseSource({ name: 'a.exe', bytes: Buffer.from('abc') }))).toBe(
			'unsupported_format'
		);
		expect(await refusal(analyseSource({ name: 'report.pdf', bytes: Buffer.from(COCN) }))).toBe(
			'extension_mismatch'
		);
		expect(await refusal(analyseSource({ name: 'report.txt', bytes: corruptPdf() }))).toBe(
			'extension_mismatch'
		);
		const docx = await docxFrom([{ text: '本文。' }]);
		expect(await refusal(analyseSource({ name: 'report.pdf', bytes: docx }))).toBe(
			'extension_mismatch'
		);
		expect(
			await refusal(analyseSource({ name: 'report.md', bytes: Buffer.from([0, 1, 2, 3]) }))
		).toBe('extension_mismatch');
		expect(sniffFormat(Buffer.from('%PDF-1.4'))).toBe('pdf');
	});

	test('corrupt and encrypted PDFs', async () => {
		expect(await refusal(analyseSource({ name: 'c.pdf', bytes: corruptPdf() }))).toBe(
			'pdf_corrupt'
		);
		expect(await refusal(analyseSource({ name: 'e.pdf', bytes: encryptedPdf() }))).toBe(
			'pdf_encrypted'
		);
	});

	test('a zip bomb with a .docx name is stopped at the unpacked-size limit', async () => {
		const bomb = await zipBombDocx(8);
		expect(bomb.length).toBeLessThan(64 * 1024);
		const limits = { ...IMPORT_LIMITS, maxUnpackedBytes: 4 * 1024 * 1024 };
		expect(await refusal(analyseSource({ name: 'bomb.docx', bytes: bomb }, limits))).toBe(
			'docx_too_large_unpacked'
		);
	});

	test('a zip that is not a DOCX is corrupt', async () => {
		const { default: JSZip } = await import('jszip');
		const zip = new JSZip();
		zip.file('hello.txt', 'hello');
		const bytes = await zip.generateAsync({ type: 'nodebuffer' });
		expect(await refusal(analyseSource({ name: 'x.docx', bytes }))).toBe('docx_corrupt');
	});

	test('the worker is stopped at the time limit', async () => {
		const pdf = await pdfFromPages(['時間切れの確認。']);
		expect(
			await refusal(
				analyseSource({ name: 'slow.pdf', bytes: pdf }, { ...IMPORT_LIMITS, timeMs: 1 })
			)
		).toBe('timeout');
	});
});

describe('PDF and DOCX', () => {
	test('a Japanese PDF printed by Chromium: text per page, page numbers kept', async () => {
		const pdf = await pdfFromPages([
			'第１章 現状と課題\n日本の科学技術・イノベーションを巡る状況は芳しくない。',
			'第２章 提言\n中長期的な視点で本質的な問題に取り組む必要がある。'
		]);
		const a = await analyseSource({ name: 'plan.pdf', bytes: pdf });
		expect(a.format).toBe('pdf');
		expect(a.pageCount).toBe(2);
		expect(a.text).toContain('日本の科学技術・イノベーションを巡る状況は芳しくない。');
		expect(a.outline.map((s) => s.number)).toEqual(['第１章', '第２章']);
		const proposal = a.candidates.find((c) => c.kind === 'proposal');
		expect(proposal?.text).toBe('中長期的な視点で本質的な問題に取り組む必要がある。');
		expect(proposal!.start).toBeGreaterThanOrEqual(a.pageStarts[1]!);
	}, 30_000);

	test('an image-only PDF says it has no text layer', async () => {
		expect(await refusal(analyseSource({ name: 'scan.pdf', bytes: await imageOnlyPdf() }))).toBe(
			'pdf_no_text'
		);
	}, 30_000);

	test('a DOCX: Word headings become the outline', async () => {
		const docx = await docxFrom([
			{ heading: 1, text: '次期基本計画に向けて' },
			{ heading: 2, text: '現状と課題' },
			{ text: '博士号取得者数が低迷している。' },
			{ heading: 2, text: '提言' },
			{ text: '産学官で博士人材のキャリアパスを整備すべきである。' }
		]);
		const a = await analyseSource({ name: 'plan.docx', bytes: docx });
		expect(a.format).toBe('docx');
		expect(a.outline.map((s) => [s.title, s.depth])).toEqual([
			['次期基本計画に向けて', 0],
			['現状と課題', 1],
			['提言', 1]
		]);
		expect(a.candidates.map((c) => [c.kind, c.text])).toEqual([
			['issue', '博士号取得者数が低迷している。'],
			['proposal', '産学官で博士人材のキャリアパスを整備すべきである。']
		]);
	});
});
