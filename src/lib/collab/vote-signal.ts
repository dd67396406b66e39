import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { ROOTS } from '../domain/board/schema';

/** Changes closer together than this make one refresh (a room voting at once). */
const SETTLE_MS = 250;

/**
 * Calls `onChange` when a board's live vote progress changes (the `votes` map of its document:
 * counts only, see domain/votes/progress.ts), so vote pages reload their numbers from the server
 * as people vote. A plain connection without presence: watching a vote is not being on the board,
 * and no local edits are ever made, so nothing is stored in the browser either.
 */
export function watchVotes(boardId: string, onChange: () => void): () => void {
	const doc = new Y.Doc();
	const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/collab`;
	const provider = new WebsocketProvider(url, boardId, doc, {
		connect: false,
		disableBc: true,
		maxBackoffTime: 5000
	});
	provider.awareness.setLocalState(null);
	let timer: ReturnType<typeof setTimeout> | undefined;
	const settle = () => {
		clearTimeout(timer);
		timer = setTimeout(onChange, SETTLE_MS);
	};
	const votes = doc.getMap(ROOTS.votes);
	// Every change after the first sync; the first sync itself counts once, for whatever changed
	// between the page loading and the socket connecting.
	const observer = () => {
		if (provider.synced) settle();
	};
	const onSync = (synced: boolean) => {
		if (synced) settle();
	};
	votes.observe(observer);
	provider.once('sync', onSync);
	provider.connect();
	return () => {
		clearTimeout(timer);
		provider.off('sync', onSync);
		votes.unobserve(observer);
		provider.destroy();
		doc.destroy();
	};
}
