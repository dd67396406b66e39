import { z } from 'zod';

/** Who may create an account: anyone, only through a board's invite link, or nobody. */
export const REGISTRATION_POLICIES = ['open', 'invite', 'closed'] as const;
export type RegistrationPolicy = (typeof REGISTRATION_POLICIES)[number];

/** Who may create boards: any signed-in user, administrators, or administrators and a list. */
export const BOARD_POLICIES = ['any', 'admins', 'list'] as const;
export type BoardPolicy = (typeof BOARD_POLICIES)[number];

/** Administrative actions recorded in the instance audit log. */
export type AdminAuditKind =
	| 'user_disabled'
	| 'user_enabled'
	| 'admin_granted'
	| 'admin_revoked'
	| 'reset_issued'
	| 'reset_used'
	| 'registration_policy'
	| 'board_policy'
	| 'board_creator_added'
	| 'board_creator_removed'
	| 'backup_requested'
	| 'account_deleted';

/** How long a reset link works: long enough to hand over in person, short enough to go stale. */
export const RESET_LIFETIME_MS = 24 * 60 * 60 * 1000;

export const userIdForm = z.strictObject({ user: z.string().regex(/^[1-9][0-9]{0,9}$/u) });
export const registrationForm = z.strictObject({ policy: z.enum(REGISTRATION_POLICIES) });
export const boardPolicyForm = z.strictObject({ policy: z.enum(BOARD_POLICIES) });
export const creatorForm = z.strictObject({ username: z.string().trim().min(1).max(64) });
