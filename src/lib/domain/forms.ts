import { z } from 'zod';
import type { MessageKey } from '../i18n/messages';
import { hasControlChars } from './text';

/** A field error as a catalogue key plus its parameters, so it renders in the user's language. */
export interface FieldError {
	key: MessageKey;
	params?: Record<string, string | number>;
}

/** Single-line text: trimmed, required, bounded, no control characters (INP-03). */
export const line = (max: number) =>
	z
		.string()
		.trim()
		.min(1, { error: 'error.required' })
		.max(max, { error: 'error.too_long' })
		.refine((s) => !hasControlChars(s), { error: 'error.control_chars' });

/** Maps a zod issue to a catalogue key; custom issues carry the key as their message. */
export function issueToFieldError(issue: z.core.$ZodIssue): FieldError {
	if (issue.code === 'too_big')
		return { key: 'error.too_long', params: { max: Number(issue.maximum) } };
	if (issue.code === 'too_small') return { key: 'error.required' };
	if (issue.code === 'invalid_type') return { key: 'error.required' };
	if (issue.message.startsWith('error.')) return { key: issue.message as MessageKey };
	return { key: 'error.invalid' };
}
