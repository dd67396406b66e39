import { z } from 'zod';
import { checkPassword } from '../accounts/password-policy';

/** The new password set through a reset link: the same policy as registration (AUTH-02). */
export const resetForm = z.strictObject({
	new_password: z.string().superRefine((value, ctx) => {
		const problem = checkPassword(value);
		if (problem) ctx.addIssue({ code: 'custom', message: `error.${problem}` });
	})
});
