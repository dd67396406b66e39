import { error } from '@sveltejs/kit';
import * as Y from 'yjs';
import { BOARD_STATE_TYPE } from '$lib/collab/board-state';
import { isBoardId } from '$lib/domain/board/id';
import { requireBoardRole } from '$lib/server/auth/guards';
import { BoardNeedsRepair, readBoardInPlace } from '$lib/server/collab';
import type { RequestHandler } from './$types';

/**
 * The board's whole document as one Yjs update, for the board page's first sync
 * (src/lib/collab/board-state.ts): for every member, as the socket would give it to them (the
 * document holds nothing one member may not see — private drafts live in SQL). Never cached:
 * it is one moment of a changing board, and a member removed since must not find it in a cache.
 */
export const GET: RequestHandler = async (event) => {
	if (!isBoardId(event.params.id)) error(404, 'Not Found');
	await requireBoardRole(event, event.params.id, 'read');
	let state: Uint8Array;
	try {
		state = await readBoardInPlace(event.locals.app, event.params.id, (doc) =>
			Y.encodeStateAsUpdate(doc)
		);
	} catch (e) {
		// The socket refuses such a board too (4422) until it is repaired.
		if (e instanceof BoardNeedsRepair) error(409, 'Conflict');
		throw e;
	}
	// encodeStateAsUpdate returns a fresh array over a plain ArrayBuffer, as BodyInit wants.
	return new Response(state as Uint8Array<ArrayBuffer>, {
		headers: {
			'Content-Type': BOARD_STATE_TYPE,
			'Cache-Control': 'private, no-store'
		}
	});
};
