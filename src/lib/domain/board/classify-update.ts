import * as Y from 'yjs';
import type { ChangeKind } from './facilitation';
import { ROOTS, SERVER_ROOTS } from './schema';

/**
 * What an incoming Yjs update would change on a board, read from the update's structure against
 * the current document — without applying it. The realtime server uses this to enforce phase
 * rules and to keep server-owned parts of the document (facilitation state, vote progress) out of
 * clients' reach: Yjs itself accepts any change from anyone.
 *
 * Every inserted item and every deleted range is traced to its place in the document: a root map
 * (`cards`, `lanes`, `comments`, …), the key under it (a card id), and the field under that (a
 * card's `title`, `lane`, …). Anything that cannot be placed is reported as `unknown`, and callers
 * treat that as not allowed (fail closed).
 */
export interface UpdateChanges {
	kinds: Set<ChangeKind>;
	/** Touches a root only the server writes (facilitation state, vote progress, metadata). */
	serverOnly: boolean;
	/** Something could not be placed (a parent neither in the document nor in the update). */
	unknown: boolean;
	/** Each new item with where it goes, for the board's rules (`update-rules.ts`). */
	inserts: InsertTrace[];
	/** Each item this update deletes that the document still shows, with where it lives. */
	deletes: DeleteTrace[];
}

export interface TracePath {
	root: string;
	/** The map keys from the root down (`null` for an array or text position). */
	keys: (string | null)[];
}

export interface InsertTrace {
	path: TracePath;
	/** The decoded item; its content is what the update inserts. */
	item: Y.Item;
	/**
	 * How much of the item the document already holds (a resent or merged struct): the content
	 * from this offset on is new.
	 */
	offset: number;
	/** The type it goes into when that is already in the document; null when the update creates it. */
	parent: Y.AbstractType<unknown> | null;
}

export interface DeleteTrace {
	path: TracePath;
	/** The document's item, not yet deleted. */
	item: Y.Item;
	/** The first unit of the item this update deletes, and how many (characters, array entries). */
	offset: number;
	length: number;
}

/** `gone`: it hangs off something already deleted and collected, so it will show nowhere. */
type Path = { root: string; keys: (string | null)[] } | 'gone' | null;

const CARD_FIELD: Record<string, ChangeKind> = {
	title: 'edit_card',
	note: 'edit_card',
	titleEn: 'edit_card',
	lane: 'move_card',
	order: 'move_card',
	archived: 'merge_card',
	mergedInto: 'merge_card',
	merge: 'merge_card',
	sources: 'merge_card',
	group: 'merge_card'
};

export function classifyUpdate(doc: Y.Doc, update: Uint8Array): UpdateChanges {
	const result: UpdateChanges = {
		kinds: new Set(),
		serverOnly: false,
		unknown: false,
		inserts: [],
		deletes: []
	};
	const { structs, ds } = Y.decodeUpdate(update);
	// Items created by this very update, by client, so children can find their new parents.
	const fresh = new Map<number, Y.Item[]>();
	for (const s of structs) {
		if (!(s instanceof Y.Item)) continue;
		const list = fresh.get(s.id.client) ?? [];
		list.push(s);
		fresh.set(s.id.client, list);
	}
	const freshItem = (id: Y.ID): Y.Item | null =>
		fresh.get(id.client)?.find((i) => id.clock >= i.id.clock && id.clock < i.id.clock + i.length) ??
		null;
	const docItem = (id: Y.ID): Y.Item | 'gone' | null => {
		if (Y.getState(doc.store, id.client) <= id.clock) return null;
		const s = Y.getItem(doc.store, id);
		// A collected struct was deleted here: whatever goes into or next to it is invisible.
		return s instanceof Y.Item ? s : 'gone';
	};

	/** Where an item already in the document lives. */
	const docPath = (item: Y.Item): Path => {
		const keys: (string | null)[] = [];
		let current: Y.Item | null = item;
		let type: Y.AbstractType<unknown> | null = null;
		while (current) {
			keys.unshift(current.parentSub);
			type = current.parent as Y.AbstractType<unknown> | null;
			current = type?._item ?? null;
		}
		if (!type) return null;
		return { root: Y.findRootTypeKey(type), keys };
	};

	const pathOfId = (id: Y.ID, depth: number): Path => {
		const inDoc = docItem(id);
		if (inDoc === 'gone') return 'gone';
		if (inDoc) return docPath(inDoc);
		const inUpdate = freshItem(id);
		return inUpdate ? updatePath(inUpdate, depth) : null;
	};

	/** Where an item of the update goes: through its parent, or its neighbour's parent. */
	const updatePath = (item: Y.Item, depth = 0): Path => {
		if (depth > 64) return null;
		const parent = item.parent as unknown;
		if (typeof parent === 'string') return { root: parent, keys: [item.parentSub] };
		if (parent instanceof Y.ID) {
			const p = pathOfId(parent, depth + 1);
			return p === 'gone' || p === null ? p : { root: p.root, keys: [...p.keys, item.parentSub] };
		}
		// No parent written: it sits in the same parent as its left or right neighbour.
		const neighbour = item.origin ?? item.rightOrigin;
		if (!neighbour) return null;
		const n = pathOfId(neighbour, depth + 1);
		if (n === 'gone' || n === null) return n;
		return {
			root: n.root,
			keys: [...n.keys.slice(0, -1), item.parentSub ?? n.keys.at(-1) ?? null]
		};
	};

	/** The document type an item of the update goes into; null when the update creates it. */
	const parentType = (item: Y.Item, depth = 0): Y.AbstractType<unknown> | null => {
		if (depth > 64) return null;
		const parent = item.parent as unknown;
		if (typeof parent === 'string')
			return (doc.share.get(parent) as Y.AbstractType<unknown> | undefined) ?? null;
		if (parent instanceof Y.ID) {
			const p = docItem(parent);
			return p instanceof Y.Item && p.content instanceof Y.ContentType ? p.content.type : null;
		}
		const neighbour = item.origin ?? item.rightOrigin;
		if (!neighbour) return null;
		const n = docItem(neighbour);
		if (n instanceof Y.Item) return n.parent as Y.AbstractType<unknown>;
		const f = freshItem(neighbour);
		return f ? parentType(f, depth + 1) : null;
	};

	const note = (path: Path, inserting: boolean) => {
		if (path === 'gone') return;
		if (!path) {
			result.unknown = true;
			return;
		}
		if (SERVER_ROOTS.has(path.root)) {
			result.serverOnly = true;
			return;
		}
		// Labels, card labels and any root a client invents: ordinary edits, under the phase rules.
		if (path.root !== ROOTS.cards && path.root !== ROOTS.lanes && path.root !== ROOTS.comments) {
			result.kinds.add('edit_card');
			return;
		}
		if (path.root === ROOTS.lanes) {
			result.kinds.add('lanes');
			return;
		}
		if (path.root === ROOTS.comments) {
			result.kinds.add('comment');
			return;
		}
		const cardId = path.keys[0];
		const exists = typeof cardId === 'string' && doc.getMap(ROOTS.cards).has(cardId);
		const field = path.keys[1];
		// Everything inside a card the board does not have yet is part of adding it.
		if (!exists) result.kinds.add(inserting ? 'add_card' : 'edit_card');
		else if (path.keys.length <= 1 || !field) result.kinds.add('edit_card');
		else result.kinds.add(CARD_FIELD[field] ?? 'edit_card');
	};

	// Per client, the clock up to which the document and this update together are gapless.
	const reach = new Map<number, number>();
	for (const s of structs) {
		const client = s.id.client;
		const upTo = reach.get(client) ?? Y.getState(doc.store, client);
		// After a gap Yjs would hold the rest back and apply it later, unjudged: refuse instead.
		if (s instanceof Y.Skip || s.id.clock > upTo) {
			if (!(s instanceof Y.Skip) || s.id.clock + s.length > upTo) result.unknown = true;
			continue;
		}
		reach.set(client, Math.max(upTo, s.id.clock + s.length));
		if (!(s instanceof Y.Item)) continue;
		const known = Math.max(0, Y.getState(doc.store, client) - s.id.clock);
		// Already in the document (a client resending its state): changes nothing.
		if (known >= s.length) continue;
		const path = updatePath(s);
		note(path, true);
		if (path && path !== 'gone')
			result.inserts.push({ path, item: s, offset: known, parent: parentType(s) });
	}

	const deletedHere = (id: Y.ID): boolean =>
		ds.clients.get(id.client)?.some((r) => id.clock >= r.clock && id.clock < r.clock + r.len) ??
		false;
	/** Deleting a card deletes its fields with it: only the topmost deleted item speaks. */
	const ancestorDeletedHere = (item: Y.Item): boolean => {
		let parent = (item.parent as Y.AbstractType<unknown> | null)?._item ?? null;
		while (parent) {
			if (deletedHere(parent.id)) return true;
			parent = (parent.parent as Y.AbstractType<unknown> | null)?._item ?? null;
		}
		return false;
	};

	for (const [client, ranges] of ds.clients) {
		const store = doc.store.clients.get(client);
		for (const { clock, len } of ranges) {
			// Deleting what neither the document nor this update holds would wait in Yjs and hit
			// whatever later arrives under those ids, unjudged.
			if (clock + len > (reach.get(client) ?? Y.getState(doc.store, client))) result.unknown = true;
			if (!store || Y.getState(doc.store, client) <= clock) continue;
			for (let i = Y.findIndexSS(store, clock); i < store.length; i++) {
				const s = store[i];
				if (!s || s.id.clock >= clock + len) break;
				// Delete sets travel whole with every update: skip what is already deleted here.
				if (!(s instanceof Y.Item) || s.deleted || ancestorDeletedHere(s)) continue;
				const path = docPath(s);
				note(path, false);
				if (path && path !== 'gone') {
					const from = Math.max(clock, s.id.clock);
					const to = Math.min(clock + len, s.id.clock + s.length);
					result.deletes.push({ path, item: s, offset: from - s.id.clock, length: to - from });
				}
			}
		}
	}
	return result;
}
