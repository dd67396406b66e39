/**
 * Realtime events worth logging (WS-15): connects, closes, refusals and limit violations, with
 * board, user, address and origin — never message contents or tokens.
 */
export type CollabLog = (event: string, fields: Record<string, string | number>) => void;

/** Fields are JSON-encoded: client-chosen values (an Origin header) cannot forge log lines. */
export const consoleLog: CollabLog = (event, fields) => {
	const line = `[collab] ${event} ${JSON.stringify(fields)}`;
	if (event.includes('error') || event.includes('fail')) console.error(line);
	else console.info(line);
};
