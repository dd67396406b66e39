import { z } from 'zod';
import { hasBoardControlChars, hasControlChars } from '../text';

/** How long a new invite link works: a workshop evening, a day, a week, a month. */
export const INVITE_DURATIONS = { '2h': 2, '1d': 24, '7d': 7 * 24, '30d': 30 * 24 } as const;
export type InviteDuration = keyof typeof INVITE_DURATIONS;
export const INVITE_ROLES = ['participant', 'observer'] as const;
/** A room of 60 plus the ones who come late; more is a mailing list, not an invite. */
export const INVITE_MAX_USES = 500;

/** Invite tokens: 32 characters of base32 (160 bits). Anything else is not a token. */
export const INVITE_TOKEN = /^[a-z2-7]{32}$/u;

export const createInviteForm = z.strictObject({
	role: z.enum(INVITE_ROLES, { error: 'error.invalid' }),
	expires: z.enum(Object.keys(INVITE_DURATIONS) as [InviteDuration, ...InviteDuration[]], {
		error: 'error.invalid'
	}),
	// INP-08: digits only, no signs, exponents or spaces.
	max_uses: z
		.string()
		.regex(/^[1-9]\d{0,3}$/u, { error: 'error.invalid' })
		.transform(Number)
		.refine((n) => n <= INVITE_MAX_USES, { error: 'error.invalid' }),
	note: z
		.string()
		.trim()
		.max(200, { error: 'error.too_long' })
		.refine((s) => !hasControlChars(s), { error: 'error.control_chars' }),
	// Shown to the invited person; line breaks allowed, other control characters not.
	welcome: z
		.string()
		.trim()
		.max(1000, { error: 'error.too_long' })
		.refine((s) => !hasBoardControlChars(s, true), { error: 'error.control_chars' })
		.default('')
});

export const revokeInviteForm = z.strictObject({
	invite: z
		.string()
		.regex(/^[1-9]\d{0,9}$/u)
		.transform(Number)
});

export type InviteProblem = 'not_found' | 'revoked' | 'expired' | 'used_up' | 'archived';
