import type * as Y from 'yjs';
import { readBoard } from '../../domain/board/doc';
import { outlineBoard, type BoardOutline } from '../../domain/board/outline';
import { readBoardInPlace, type CollabApp } from '../collab';

/**
 * The outline of each loaded board's document, for as long as the document does not change:
 * when a whole room opens the board at once, it is read once, not once per page load. Keyed by
 * the live Y.Doc, so an unloaded board's entry goes with its document.
 */
const outlines = new WeakMap<Y.Doc, { version: number; view: BoardOutline }>();

/**
 * The board page's first paint (outline.ts), read from the live document in place — no copy of
 * the document, no decoding from SQL when the board is loaded — and shared between requests.
 * Frozen: it is handed to many renders at once, and a render that changed it would change
 * everyone's page.
 */
export function boardOutline(app: CollabApp, boardId: string): Promise<BoardOutline> {
	return readBoardInPlace(app, boardId, (doc, version) => {
		const hit = outlines.get(doc);
		if (hit && hit.version === version) return hit.view;
		const view = deepFreeze(outlineBoard(readBoard(doc)));
		outlines.set(doc, { version, view });
		return view;
	});
}

function deepFreeze<T>(value: T): T {
	if (value && typeof value === 'object' && !Object.isFrozen(value)) {
		Object.freeze(value);
		for (const v of Object.values(value)) deepFreeze(v);
	}
	return value;
}
