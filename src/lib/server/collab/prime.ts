import * as Y from 'yjs';
import { EMPTY_UPDATE, syncStep2Message, updateMessage } from './protocol';
import type { StoredDoc } from './store';

/**
 * A board's stored rows as the messages that bring a client up to date before the server has
 * loaded the board itself (Connection.prime): SyncStep2 with the snapshot, then one Update with
 * the log rows merged. One merged update, not one message per row: a browser applies (and
 * y-indexeddb stores) every update it receives separately, and 500 of them cost far more than
 * one. `mergeUpdates` runs only on rows that passed `checkUpdate` when they were read (v1
 * only, never the V2 decoders; WS-07). Null when there is nothing stored.
 */
export function primeMessages(stored: StoredDoc): Uint8Array[] | null {
	if (!stored.snapshot && stored.log.length === 0) return null;
	const messages = [syncStep2Message(stored.snapshot?.data ?? EMPTY_UPDATE)];
	if (stored.log.length === 1)
		messages.push(updateMessage((stored.log[0] as { data: Uint8Array }).data));
	else if (stored.log.length > 1)
		messages.push(updateMessage(Y.mergeUpdates(stored.log.map((r) => r.data))));
	return messages;
}
