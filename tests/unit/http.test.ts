import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { safeRedirectPath } from '../../src/lib/server/auth/guards';
import { isCrossSiteWrite } from '../../src/lib/server/http/csrf';
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
	test('INP-07 only same-origin paths are followed', () => {
		expect(safeRedirectPath('/boards?x=1#y')).toBe('/boards?x=1#y');
		for (const bad of [
			'//evil.example',
			'/\\evil.example',
			'https://evil.example',
			'javascript:alert(1)',
			'',
			null,
			'/%5C%5Cevil'
		])
			expect(['/', '/%5C%5Cevil']).toContain(safeRedirectPath(bad));
		expect(safeRedirectPath('//evil.example')).toBe('/');
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
