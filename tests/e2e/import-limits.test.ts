import { request as httpRequest } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalogues } from '../../src/lib/i18n/messages';
import { pdfFromPages } from '../helpers/import-files';
import { E2E } from './env';
import { e2eDb, expect, open, SESSION_COOKIE, signIn, test } from './fixtures';
import { importRows } from './import-helpers';

/**
 * Issue 17: the report upload has a body limit of its own (20 MB) while every other request keeps
 * the general one (BODY_SIZE_LIMIT, 512 KB): a real report's PDF over 512 KB imports, a 200 MB
 * upload is refused at once without being read, and with JavaScript an oversized file is stopped
 * before it is sent.
 */

test.describe.configure({ mode: 'serial' });

const MB = 1024 * 1024;

test('a real report printed to a PDF over the general body limit imports', async ({
	page,
	user
}) => {
	test.setTimeout(150_000);
	await signIn(page.context(), user, E2E.baseURL);
	const text = readFileSync(join('..', 'shared', 'reports', '001_4ba99a74d0e6eccd.txt'), 'utf8');
	const pdf = await pdfFromPages([text]);
	expect(pdf.length).toBeGreaterThan(512 * 1024);
	await open(page, '/library/import');
	await page
		.getByLabel('報告書のファイル')
		.setInputFiles({ name: 'report-001.pdf', mimeType: 'application/pdf', buffer: pdf });
	await page.getByRole('button', { name: '読み込んで候補を出す' }).click();
	await expect(page).toHaveURL(/\/library\/import\/[a-z2-7]+$/u, { timeout: 60_000 });
	const id = /\/library\/import\/([a-z2-7]+)$/u.exec(page.url())![1]!;
	const { n } = await e2eDb()
		.db.selectFrom('report_import_items')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('import_id', '=', id)
		.executeTakeFirstOrThrow();
	expect(Number(n)).toBeGreaterThan(20);
});

test('with JavaScript a file over 20 MB is stopped before it is sent', async ({ page, user }) => {
	await signIn(page.context(), user, E2E.baseURL);
	await open(page, '/library/import');
	const posts: string[] = [];
	page.on('request', (r) => {
		if (r.method() === 'POST') posts.push(r.url());
	});
	await page.getByLabel('報告書のファイル').setInputFiles({
		name: 'huge.txt',
		mimeType: 'text/plain',
		buffer: Buffer.alloc(21 * MB, 0x41)
	});
	await page.getByRole('button', { name: '読み込んで候補を出す' }).click();
	await expect(page.getByRole('alert')).toHaveText(
		'ファイルが大きすぎます（上限 20 MB）。何も保存していません。'
	);
	await expect(page.getByLabel('報告書のファイル')).toHaveAttribute('aria-invalid', 'true');
	expect(posts).toEqual([]);
});

test('INP-01 a 200 MB upload is refused at once and never read; other routes keep 512 KB', async ({
	page,
	user
}) => {
	// Signed in, so an upload that got through would be stored as this user's.
	const token = await signIn(page.context(), user, E2E.baseURL);
	const before = await importRows(user);
	const started = performance.now();
	const answer = await new Promise<{ status: number; text: string; sent: number }>(
		(resolve, reject) => {
			let sent = 0;
			let answered = false;
			const req = httpRequest(`${E2E.baseURL}/library/import?/upload`, {
				method: 'POST',
				headers: {
					'content-type': 'multipart/form-data; boundary=x',
					'content-length': String(200 * MB),
					'accept-language': 'ja',
					origin: E2E.baseURL,
					cookie: `${SESSION_COOKIE}=${token}`
				}
			});
			req.on('response', (res) => {
				answered = true;
				let text = '';
				res.setEncoding('utf8');
				res.on('data', (c: string) => (text += c));
				res.on('end', () => resolve({ status: res.statusCode!, text, sent }));
			});
			req.on('error', (e) => {
				if (!answered) reject(e);
			});
			req.flushHeaders();
			const chunk = Buffer.alloc(256 * 1024, 0x41);
			const write = () => {
				while (!answered && !req.destroyed && sent < 200 * MB) {
					sent += chunk.length;
					if (!req.write(chunk)) return void req.once('drain', write);
				}
			};
			write();
		}
	);
	expect(answer.status).toBe(413);
	expect(answer.text).toBe('ファイルが大きすぎます（上限 20 MB）。何も保存していません。\n');
	// Answered from the declared length, long before the file was sent. How much the client
	// pushed before it noticed the answer depends on the loopback and on the scheduler: the
	// server discards what still arrives for 2 s so that the client reads the 413 (22 MB was
	// seen once under CI), so the bound is half the file, not a tenth.
	expect(answer.sent).toBeLessThan(100 * MB);
	expect(performance.now() - started).toBeLessThan(15_000);
	expect(await importRows(user)).toBe(before);
	expect((await page.request.get('/healthz')).status()).toBe(200);

	const elsewhere = await page.request.post('/boards/new', {
		headers: {
			'content-type': 'application/x-www-form-urlencoded',
			origin: E2E.baseURL,
			'accept-language': 'en'
		},
		data: `a=${'x'.repeat(600_000)}`
	});
	expect(elsewhere.status()).toBe(413);
	expect(await elsewhere.text()).toContain(catalogues.en['error.too_large']);
});
