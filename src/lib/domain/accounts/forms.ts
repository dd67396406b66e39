import { z } from 'zod';
import { line } from '../forms';
import { checkPassword, PASSWORD_MAX } from './password-policy';
import { SECTORS } from './sectors';
import { normalizeUsername } from './username';

const username = z
	.string()
	.max(200, { error: 'error.username_length' })
	.transform((value, ctx) => {
		const r = normalizeUsername(value);
		if (!r.ok) {
			ctx.addIssue({ code: 'custom', message: `error.${r.error}` });
			return z.NEVER;
		}
		return r;
	});

/** Passwords are never trimmed; the policy counts code points (AUTH-02). */
const newPassword = z.string().superRefine((value, ctx) => {
	const problem = checkPassword(value);
	if (problem) ctx.addIssue({ code: 'custom', message: `error.${problem}` });
});

/** Login accepts whatever was set before, bounded so hashing cannot be driven by huge input. */
const anyPassword = z
	.string()
	.min(1, { error: 'error.required' })
	.max(PASSWORD_MAX * 4, { error: 'error.password_too_long' });

const sector = z.enum(SECTORS, { error: 'error.required' });

export const registerForm = z
	.strictObject({
		username,
		display_name: line(60),
		password: newPassword,
		sector,
		organisation: line(100)
	})
	.superRefine((v, ctx) => {
		// Checked again with the username, which the field-level rule cannot see.
		if (checkPassword(v.password, v.username.key) === 'password_common')
			ctx.addIssue({ code: 'custom', path: ['password'], message: 'error.password_common' });
	});

export const loginForm = z.strictObject({
	username: z.string().max(200),
	password: anyPassword,
	redirectTo: z.string().max(500).optional()
});

export const profileForm = z.strictObject({
	display_name: line(60),
	sector,
	organisation: line(100),
	/** Consent to be named in workshop records (minutes, JSON, print); unticked sends nothing. */
	name_in_record: z.literal('on').optional()
});

export const passwordForm = z.strictObject({
	current_password: anyPassword,
	new_password: newPassword
});

export const revokeForm = z.strictObject({
	session: z.string().regex(/^[a-z2-7]{16}$/u)
});
