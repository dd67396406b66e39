import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { safeRedirectPath } from '../../src/lib/server/auth/guards';
import { isCrossSiteWrite } from '../../src/lib/server/http/csrf';
import { formBodyProblem } from '../../src/lib/server/http/form-body';
import { readForm } from '../../src/lib/server/http/forms';
import { registerForm } from '../../src/lib/domain/accounts/forms';

const post = (headers: Record<string, string>) =>
	new Request('http://localhost:3000/login', { method: 'POST', headers });

describe('CSRF', () => {
	test('CSRF-02 Fetch Metadata decides when present; Origin must match otherwise', () => {
		const o = 'http://localhost:3000';
		expect(isCrossSiteWrite(post({ 'sec-fetch-site': 'same-origin' }), o)).toBe(false);
		expect(isCrossSiteWrite(post({ 'sec-fetch-site': 'cross-site', origin: o }), o)).toBe(true);
		expect(isCrossSiteWrite(post({ 'sec-fetch-site': 'same-site' }), o)).toBe(true);
		expect(isCrossSiteWrite(post({ origin: o }), o)).toBe(false);
		expect(isCrossSiteWrite(post({ origin: 'https://evil.example' }), o)).toBe(true);
		expect(isCrossSiteWrite(post({ origin: 'null' }), o)).toBe(true);
		expect(isCrossSiteWrite(post({}), o)).toBe(true);
		expect(isCrossSiteWrite(new Request(`${o}/`, { method: 'GET' }), o)).toBe(false);
	});
});

describe('redirects', () => {
	test('INP-07 same-origin paths come back normalised', () => {
		expect(safeRedirectPath('/boards?x=1#y')).toBe('/boards?x=1#y');
		expect(safeRedirectPath('/boards/abc/votes')).toBe('/boards/abc/votes');
		expect(safeRedirectPath('/library/search?q=量子')).toBe('/library/search?q=%E9%87%8F%E5%AD%90');
		expect(safeRedirectPath('/a/./b/../c')).toBe('/a/c');
		// Encoded slashes and backslashes stay encoded: one path segment on this site.
		expect(safeRedirectPath('/%2F%2Fevil.example')).toBe('/%2F%2Fevil.example');
		expect(safeRedirectPath('/%5Cevil')).toBe('/%5Cevil');
		expect(safeRedirectPath('/%5C%5Cevil')).toBe('/%5C%5Cevil');
		// Control characters cannot reach the Location header raw.
		expect(safeRedirectPath('/a\u0000b')).toBe('/a%00b');
		expect(safeRedirectPath('/x?a=1\r\nSet-Cookie:%20x=1')).toBe('/x?a=1Set-Cookie:%20x=1');
	});

	// Every form a red-team catalogue tried, plus the ones URL normalisation makes dangerous.
	const hostile: [string, string | null | undefined][] = [
		['scheme-relative', '//evil.example'],
		['triple slash', '///evil.example'],
		['dot segment then //', '/.//evil.example'],
		['dot-dot then //', '/..//evil.example'],
		['climb then //', '/a/../..//evil.example'],
		['encoded dots then //', '/%2e%2e//evil.example'],
		['encoded dot then //', '/%2e//evil.example'],
		['backslash', '/\\evil.example'],
		['two backslashes', '/\\\\evil.example'],
		['dot then backslash', '/./\\evil.example'],
		['dot backslash slash', '/.\\/evil.example'],
		['tab between slashes', '/\t/evil.example'],
		['newline between slashes', '/\n/evil.example'],
		['CR between slashes', '/\r/evil.example'],
		['tab and dot', '/\t./\t/evil.example'],
		['absolute http', 'http://evil.example/'],
		['absolute https', 'https://evil.example/boards'],
		['scheme-relative with path', '//evil.example/boards'],
		['javascript:', 'javascript:alert(1)'],
		['javascript: upper case', 'JaVaScRiPt:alert(1)'],
		['data:', 'data:text/html,<script>alert(1)</script>'],
		['leading space', ' //evil.example'],
		['relative', 'evil.example'],
		['empty', ''],
		['null', null],
		['undefined', undefined]
	];
	test.each(hostile)('INP-07 %s falls back to the default', (_name, target) => {
		expect(safeRedirectPath(target)).toBe('/');
		expect(safeRedirectPath(target, '/boards')).toBe('/boards');
	});

	test('INP-07 whatever is accepted reads back as a path on this site', () => {
		const inputs = [
			'/ok',
			'/%2e%2e/ok',
			'/..%2f..%2fok',
			'/%2F/evil',
			'/ /evil',
			'/\u3000/evil',
			'/?//evil',
			'/#//evil'
		];
		for (const input of inputs) {
			const out = safeRedirectPath(input);
			expect(out.startsWith('/') && !out.startsWith('//') && !out.startsWith('/\\')).toBe(true);
			expect(new URL(out, 'https://yoriai.example').origin).toBe('https://yoriai.example');
		}
	});
});

describe('forms', () => {
	const form = (entries: [string, string][]) => {
		const f = new FormData();
		for (const [k, v] of entries) f.append(k, v);
		return f;
	};

	test('INP-01 a field sent twice is refused', () => {
		const r = readForm(
			form([
				['a', '1'],
				['a', '2']
			]),
			z.strictObject({ a: z.string() })
		);
		expect(r.ok).toBe(false);
	});

	test('INP-01 / AC-03 unknown fields are refused, not silently stored (no mass assignment)', () => {
		const r = readForm(
			form([
				['username', 'tanaka'],
				['display_name', '田中'],
				['password', 'a long and unusual passphrase'],
				['sector', 'industry'],
				['organisation', 'X'],
				['is_admin', '1']
			]),
			registerForm
		);
		expect(r.ok).toBe(false);
		if (!r.ok) expect(r.errors._form?.key).toBe('error.generic');
	});

	test('INP-06 __proto__ fields do not pollute objects', () => {
		const r = readForm(
			form([
				['__proto__', 'x'],
				['constructor', 'y']
			]),
			z.strictObject({})
		);
		expect(r.ok).toBe(false);
		expect(({} as Record<string, unknown>).x).toBeUndefined();
	});

	test('INP-03 control characters are refused, passwords come back never', () => {
		const r = readForm(
			form([
				['username', 'tanaka'],
				['display_name', 'a\u0000b'],
				['password', 'a long and unusual passphrase'],
				['sector', 'industry'],
				['organisation', 'X']
			]),
			registerForm
		);
		expect(r.ok).toBe(false);
		if (!r.ok) {
			expect(r.errors.display_name?.key).toBe('error.control_chars');
			expect(r.values.password).toBeUndefined();
		}
	});
});

describe('form bodies', () => {
	const req = (type: string | null, body: string, method = 'POST') =>
		new Request('http://localhost:3000/login', {
			method,
			headers: type === null ? {} : { 'content-type': type },
			...(method === 'GET' ? {} : { body })
		});

	test('INP-01 unreadable bodies are 400, non-form types 415, readable forms pass untouched', async () => {
		expect(await formBodyProblem(req('multipart/form-data; boundary=x', 'broken'))).toBe(400);
		expect(await formBodyProblem(req('multipart/form-data', '--x--'))).toBe(400);
		expect(
			await formBodyProblem(
				req(
					'Multipart/Form-Data; boundary=x',
					'--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1'
				)
			)
		).toBe(400);
		for (const type of ['text/plain', 'application/json', 'application/octet-stream', null])
			expect(await formBodyProblem(req(type, 'a=1'))).toBe(415);
		expect(await formBodyProblem(req(null, '', 'GET'))).toBeNull();

		const ok = req(
			'multipart/form-data; boundary=x',
			'--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--\r\n'
		);
		expect(await formBodyProblem(ok)).toBeNull();
		// The action still reads the body the check looked at.
		expect((await ok.formData()).get('a')).toBe('1');
		const url = req('application/x-www-form-urlencoded; charset=UTF-8', '%zz=%&b=2');
		expect(await formBodyProblem(url)).toBeNull();
		expect((await url.formData()).get('b')).toBe('2');
	});
});
