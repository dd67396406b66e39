import * as Y from 'yjs';
import { EMPTY_UPDATE, syncStep2Message, updateMessage } from './protocol';
import type { StoredDoc } from './store';

/**
 * A board's stored rows as the messages that bring a client up to date before the server has
 * loaded the board itself (Connection.prime): an Update with the snapshot, one Update with the
 * log rows merged, then an empty SyncStep2. A y-websocket client counts itself synced at the
 * first SyncStep2 it receives, so the state travels ahead of it, never inside it.
 *
 * The log goes as one merged update, not a message per row: a browser applies (and y-indexeddb
 * stores) every update it receives separately, and 500 of them cost far more than one.
 * `mergeUpdates` runs only on rows that passed their checksum or `checkUpdate` when they were
 * read (v1 only, never the V2 decoders; WS-07). Null when there is nothing stored.
 */
export function primeMessages(stored: StoredDoc): Uint8Array[] | null {
	if (!stored.snapshot && stored.log.length === 0) return null;
	const messages: Uint8Array[] = [];
	if (stored.snapshot) messages.push(updateMessage(stored.snapshot.data));
	const log = stored.log.map((row) => row.data);
	if (log.length > 0)
		messages.push(updateMessage(log.length === 1 ? (log[0] as Uint8Array) : Y.mergeUpdates(log)));
	messages.push(syncStep2Message(EMPTY_UPDATE));
	return messages;
}
