import { z } from 'zod';
import { hasControlChars } from '../text';
import { PHASES } from './facilitation';
import { LIMITS } from './limits';

/** Minutes as typed: 1–180, digits only (INP-08). */
const minutes = z
	.string()
	.regex(/^[1-9]\d{0,2}$/u, { error: 'error.invalid' })
	.transform(Number)
	.refine((n) => n <= 180, { error: 'error.invalid' });

export const phaseForm = z.strictObject({ phase: z.enum(PHASES, { error: 'error.invalid' }) });
export const lockForm = z.strictObject({ locked: z.enum(['0', '1']).transform((v) => v === '1') });
export const timerForm = z.discriminatedUnion('op', [
	z.strictObject({ op: z.literal('start'), minutes }),
	z.strictObject({ op: z.literal('extend'), minutes }),
	z.strictObject({ op: z.literal('pause') }),
	z.strictObject({ op: z.literal('resume') }),
	z.strictObject({ op: z.literal('clear') })
]);
export const spotlightForm = z.union([
	z.strictObject({ kind: z.enum(['card', 'lane']), id: z.string().regex(/^[a-z2-7]{8,32}$/u) }),
	z.strictObject({ kind: z.literal('none') })
]);

const text = (max: number, required: boolean) =>
	z
		.string()
		.trim()
		.min(required ? 1 : 0, { error: 'error.required' })
		.max(max, { error: 'error.too_long' })
		.refine((s) => !hasControlChars(s), { error: 'error.control_chars' });

export const draftForm = z.strictObject({
	title: text(LIMITS.cardTitle, true),
	note: text(LIMITS.cardNote, false)
});
export const deleteDraftForm = z.strictObject({
	draft: z
		.string()
		.regex(/^[1-9]\d{0,9}$/u)
		.transform(Number)
});
