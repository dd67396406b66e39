/**
 * The code of the extraction worker, as a string run with `new Worker(code, { eval: true })`.
 *
 * Why a string: the server is bundled (SvelteKit's build, esbuild for server/main.ts) and a
 * worker file beside the bundle would need a build step of its own; a string goes wherever the
 * module goes, in development, tests and production alike. It imports its libraries by package
 * name (pdfjs-dist, mammoth, jszip are runtime dependencies, resolved from the working
 * directory's node_modules like the server's own).
 *
 * Messages: in `workerData` { format: 'pdf' | 'docx', bytes, limits }; out one message,
 * { ok: true, pages: string[] } or { ok: false, code, detail }.
 */
export const EXTRACT_WORKER_SOURCE = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const { createRequire } = require('node:module');
const path = require('node:path');
const requireHere = createRequire(path.join(process.cwd(), 'package.json'));

function fail(code, detail) {
	parentPort.postMessage({ ok: false, code, detail: String(detail ?? '') });
}

async function pdfPages(bytes, limits) {
	const pdfjs = await import(requireHere.resolve('pdfjs-dist/legacy/build/pdf.mjs'));
	const root = path.dirname(requireHere.resolve('pdfjs-dist/package.json'));
	let doc;
	try {
		doc = await pdfjs.getDocument({
			data: bytes,
			cMapUrl: path.join(root, 'cmaps') + path.sep,
			cMapPacked: true,
			standardFontDataUrl: path.join(root, 'standard_fonts') + path.sep,
			isEvalSupported: false,
			useSystemFonts: false,
			verbosity: 0
		}).promise;
	} catch (e) {
		if (e && e.name === 'PasswordException') return fail('pdf_encrypted', e.message);
		return fail('pdf_corrupt', e && e.message);
	}
	if (doc.numPages > limits.maxPages) return fail('too_many_pages', doc.numPages);
	const pages = [];
	let chars = 0;
	for (let n = 1; n <= doc.numPages; n++) {
		let text = '';
		try {
			const page = await doc.getPage(n);
			const content = await page.getTextContent();
			let lastY = null;
			for (const item of content.items) {
				if (typeof item.str !== 'string') continue;
				const y = item.transform ? item.transform[5] : null;
				// A new baseline without an end-of-line mark is still a new line.
				if (lastY !== null && y !== null && Math.abs(y - lastY) > 2 && !text.endsWith('\n')) text += '\n';
				text += item.str;
				if (item.hasEOL) text += '\n';
				if (y !== null) lastY = y;
			}
			page.cleanup();
		} catch (e) {
			return fail('pdf_corrupt', e && e.message);
		}
		chars += text.length;
		if (chars > limits.maxChars) return fail('too_much_text', chars);
		pages.push(text);
	}
	await doc.destroy();
	parentPort.postMessage({ ok: true, pages });
}

async function docxPages(bytes, limits) {
	const JSZip = requireHere('jszip');
	let zip;
	try {
		zip = await JSZip.loadAsync(bytes);
	} catch (e) {
		return fail('docx_corrupt', e && e.message);
	}
	if (!zip.file('word/document.xml')) return fail('docx_corrupt', 'no word/document.xml');
	// Unpack every part as a stream and count: the sizes a zip declares can lie, the bytes cannot.
	let total = 0;
	for (const entry of Object.values(zip.files)) {
		if (entry.dir) continue;
		const over = await new Promise((resolve, reject) => {
			const stream = entry.internalStream('uint8array');
			stream
				.on('data', (chunk) => {
					total += chunk.length;
					if (total > limits.maxUnpackedBytes) {
						stream.pause();
						resolve(true);
					}
				})
				.on('error', reject)
				.on('end', () => resolve(false))
				.resume();
		}).catch((e) => e);
		if (over instanceof Error) return fail('docx_corrupt', over.message);
		if (over === true) return fail('docx_too_large_unpacked', total);
	}
	const mammoth = requireHere('mammoth');
	let html;
	try {
		html = (await mammoth.convertToHtml({ buffer: Buffer.from(bytes) })).value;
	} catch (e) {
		return fail('docx_corrupt', e && e.message);
	}
	if (html.length > limits.maxChars * 4) return fail('too_much_text', html.length);
	parentPort.postMessage({ ok: true, pages: [htmlToText(html)] });
}

/** mammoth's HTML as text lines; headings become Markdown headings so the outline sees them. */
function htmlToText(html) {
	const entities = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' ' };
	const decode = (s) =>
		s
			.replace(/<[^>]+>/g, '')
			.replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_, e) => entities[e])
			.replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(Number(d)))
			.replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCodePoint(parseInt(h, 16)));
	const lines = [];
	const re = /<(h[1-6]|p|li|td|th)\b[^>]*>([\s\S]*?)<\/\1>/g;
	let m;
	while ((m = re.exec(html)) !== null) {
		const text = decode(m[2]).trim();
		if (text === '') continue;
		lines.push(m[1][0] === 'h' ? '#'.repeat(Number(m[1][1])) + ' ' + text : text);
	}
	return lines.join('\n');
}

(async () => {
	const { format, bytes, limits } = workerData;
	try {
		if (format === 'pdf') await pdfPages(bytes, limits);
		else if (format === 'docx') await docxPages(bytes, limits);
		else fail('unsupported_format', format);
	} catch (e) {
		fail(format === 'pdf' ? 'pdf_corrupt' : 'docx_corrupt', e && e.message);
	}
})();
`;
