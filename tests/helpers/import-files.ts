/**
 * Files for the report-import tests (issue 17), made by the tests themselves: a Japanese PDF
 * printed by Chromium, an image-only PDF, an encrypted and a corrupt PDF, a DOCX made with the
 * `docx` package, and a zip bomb posing as a DOCX.
 */
import { chromium } from '@playwright/test';
import { Document, HeadingLevel, Packer, Paragraph } from 'docx';
import JSZip from 'jszip';
import { findChromium } from '../e2e/chromium.mjs';

/** A PDF with a text layer: each entry of `pages` printed on a page of its own. */
export async function pdfFromPages(pages: readonly string[]): Promise<Buffer> {
	const browser = await chromium.launch({ executablePath: findChromium() ?? undefined });
	try {
		const page = await browser.newPage();
		const body = pages
			.map(
				(p, i) =>
					`<section style="${i > 0 ? 'break-before: page;' : ''}">${p
						.split('\n')
						.map((l) => `<p>${l.replace(/&/gu, '&amp;').replace(/</gu, '&lt;')}</p>`)
						.join('')}</section>`
			)
			.join('');
		await page.setContent(
			`<!doctype html><html lang="ja"><meta charset="utf-8"><body style="font-family: 'Noto Sans CJK JP', sans-serif; font-size: 11pt">${body}</body></html>`
		);
		return await page.pdf({ format: 'A4' });
	} finally {
		await browser.close();
	}
}

/** A PDF whose pages hold only a drawing: what a scan without OCR looks like to a text reader. */
export async function imageOnlyPdf(): Promise<Buffer> {
	const browser = await chromium.launch({ executablePath: findChromium() ?? undefined });
	try {
		const page = await browser.newPage();
		await page.setContent(
			'<!doctype html><body><svg width="400" height="300"><rect x="10" y="10" width="300" height="200" fill="#888"/><circle cx="200" cy="150" r="60" fill="#333"/></svg></body>'
		);
		return await page.pdf({ format: 'A4' });
	} finally {
		await browser.close();
	}
}

/**
 * A PDF encrypted with the standard security handler and a user password: readers must ask for
 * the password (the /O and /U entries match no empty password).
 */
export function encryptedPdf(): Buffer {
	const hex = (n: number, seed: number) =>
		Array.from({ length: n }, (_, i) => ((i * 37 + seed) % 256).toString(16).padStart(2, '0')).join(
			''
		);
	const objects = [
		'<< /Type /Catalog /Pages 2 0 R >>',
		'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
		'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>',
		`<< /Filter /Standard /V 1 /R 2 /O <${hex(32, 11)}> /U <${hex(32, 71)}> /P -44 >>`
	];
	let out = '%PDF-1.4\n';
	const offsets: number[] = [];
	objects.forEach((o, i) => {
		offsets.push(out.length);
		out += `${i + 1} 0 obj\n${o}\nendobj\n`;
	});
	const xref = out.length;
	out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
	for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
	out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Encrypt 4 0 R /ID [<${hex(16, 3)}> <${hex(16, 3)}>] >>\nstartxref\n${xref}\n%%EOF\n`;
	return Buffer.from(out, 'latin1');
}

/** Starts like a PDF, then is not one. */
export function corruptPdf(): Buffer {
	return Buffer.from(
		'%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R\n' + 'garbage '.repeat(200),
		'latin1'
	);
}

/** A DOCX with headings and paragraphs, as Word would save it. */
export async function docxFrom(
	blocks: readonly { heading?: 1 | 2 | 3; text: string }[]
): Promise<Buffer> {
	const levels = {
		1: HeadingLevel.HEADING_1,
		2: HeadingLevel.HEADING_2,
		3: HeadingLevel.HEADING_3
	};
	const doc = new Document({
		sections: [
			{
				children: blocks.map((b) =>
					b.heading
						? new Paragraph({ text: b.text, heading: levels[b.heading] })
						: new Paragraph({ text: b.text })
				)
			}
		]
	});
	return Packer.toBuffer(doc);
}

/**
 * A zip bomb with a DOCX's name: a valid document part and a part of `unpackedMb` megabytes of
 * zeros that deflates to a few kilobytes per megabyte.
 */
export async function zipBombDocx(unpackedMb: number): Promise<Buffer> {
	const zip = new JSZip();
	zip.file(
		'[Content_Types].xml',
		'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
	);
	zip.file(
		'word/document.xml',
		'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>本文</w:t></w:r></w:p></w:body></w:document>'
	);
	zip.file('word/media/padding.bin', new Uint8Array(unpackedMb * 1024 * 1024));
	return zip.generateAsync({
		type: 'nodebuffer',
		compression: 'DEFLATE',
		compressionOptions: { level: 9 }
	});
}
