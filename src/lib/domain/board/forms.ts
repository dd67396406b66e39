import { z } from 'zod';
import { line } from '../forms';
import { BOARD_ROLES } from './roles';

export const addMemberForm = z.strictObject({
	username: line(64),
	role: z.enum(BOARD_ROLES, { error: 'error.invalid' })
});

export const changeMemberForm = z.strictObject({
	user: z
		.string()
		.regex(/^[1-9]\d{0,9}$/u, { error: 'error.invalid' })
		.transform(Number),
	role: z.enum([...BOARD_ROLES, 'remove'], { error: 'error.invalid' })
});
