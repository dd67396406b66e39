import { logger } from '../log/logger';

/**
 * Realtime events worth logging (WS-15): connects, closes, refusals and limit violations, with
 * board, user, address and origin — never message contents or tokens.
 */
export type CollabLog = (event: string, fields: Record<string, string | number>) => void;

/**
 * Into the process's structured log. Client-chosen values (an Origin header) are JSON fields, not
 * text spliced into a line, so they cannot forge log lines.
 */
export const structuredLog: CollabLog = (event, fields) => {
	const level = event.includes('error') || event.includes('fail') ? 'error' : 'info';
	logger[level]({ ...fields, event }, `collab: ${event}`);
};
