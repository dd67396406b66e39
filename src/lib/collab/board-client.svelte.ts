import { createSubscriber } from 'svelte/reactivity';
import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import {
	BoardError,
	readBoard,
	readComments,
	type BoardView,
	type CommentView
} from '../domain/board/doc';
import { readFacilitation, type Facilitation } from '../domain/board/facilitation';
import { ROOTS } from '../domain/board/schema';
import type { MessageKey } from '../i18n/messages';
import { readVoteProgress, type VoteProgress } from '../domain/votes/progress';
import { openingAfter } from './board-state';
import { MESSAGE_REFUSED, readRefusal, savedParams, trackSaved, type SavedTracker } from './saved';

export type ConnectionState = 'connecting' | 'connected' | 'offline' | 'closed';

/** What the page says after the server refused a change, by the rule it named. */
export function refusalNotice(rule: string): MessageKey {
	if (rule === 'phase' || rule === 'locked') return 'board.refused.phase';
	if (rule === 'text-length' || rule === 'count') return 'board.refused.limit';
	return 'board.refused.other';
}

export interface PresenceUser {
	clientId: number;
	id: number;
	name: string;
	sector: string;
	color: string;
	editing: string | null;
	self: boolean;
}

/** Colours for presence, chosen for contrast on white; picked from the user id so they are stable. */
const COLORS = [
	'#1f77b4',
	'#b5179e',
	'#2a9d3f',
	'#c2410c',
	'#6d28d9',
	'#0f766e',
	'#a16207',
	'#be123c'
];

export interface BoardClientOptions {
	url?: string;
	/** Outside a browser (tests in Node): a WebSocket class that sends the session cookie. */
	WebSocketPolyfill?: typeof WebSocket;
	/** Keep a copy in IndexedDB (default); Node has none. */
	cache?: boolean;
	/**
	 * The projector view: no IndexedDB copy, so edits someone left unsent in this browser are not
	 * pushed from a page that only shows the board, and no presence entry, so the screen on the
	 * wall is not counted as a person in the room.
	 */
	readOnly?: boolean;
	/**
	 * The board's state fetched over HTTP (board-state.ts), normally applied before the socket
	 * has opened, so that the socket's sync carries only what changed since. Used for the first
	 * open only (a tab starting over after a refusal syncs through the socket); null falls back
	 * to that too.
	 */
	initialState?: () => Promise<Uint8Array | null>;
}

/** A change made through `BoardClient.change`, kept until the server has stored it. */
interface Change {
	op: (doc: Y.Doc) => unknown;
	/** This tab's Yjs clock before and after it (equal for a change that only deletes). */
	before: number;
	after: number;
}

/** Changes kept for replay: a tab far beyond this is offline, and its IndexedDB copy holds them. */
const MAX_KEPT_CHANGES = 200;

/**
 * The browser side of one board: the Yjs document, its copy in IndexedDB (edits made offline
 * survive a reload and merge on reconnect), the y-websocket connection, presence, and undo of
 * one's own changes only. Svelte reads it through `createSubscriber`, so components re-render
 * when the document or presence changes and nothing is copied into component state by hand.
 *
 * When the server refuses one of this tab's updates (MESSAGE_REFUSED: a stale tab, a race with a
 * phase change or a limit), Yjs cannot take the change back out of this document, and every later
 * update from this Yjs client id would build on it. So the tab starts over: it drops its document
 * and its IndexedDB copy, loads the board from the server under a new client id, and replays the
 * changes it made after the refused one (those made through `change`), each judged afresh.
 * `refused` says which rule, for the page's notice.
 */
export class BoardClient {
	/** Replaced when the server refuses a change: read it at the time of use, never keep it. */
	doc!: Y.Doc;
	provider!: WebsocketProvider;
	undo!: Y.UndoManager;
	#idb: IndexeddbPersistence | null = null;
	#version = 0;
	#view: { version: number; value: BoardView } | null = null;
	state = $state<ConnectionState>('connecting');
	/**
	 * The document has had the server's state since it was (re)opened. Until then it holds
	 * nothing, or this browser's possibly stale copy: the page keeps its first paint meanwhile.
	 */
	synced = $state(false);
	closeCode = $state<number | null>(null);
	/** Local changes the server has not yet confirmed as stored on disk. */
	unsynced = $state(0);
	/** The rule behind the last refused change, until `dismissRefusal`. */
	refused = $state<string | null>(null);
	#saved!: SavedTracker;
	#stopSaved: () => void = () => {};
	#changes: Change[] = [];
	#recovering = false;
	#destroyed = false;
	#initialState: (() => Promise<Uint8Array | null>) | null;
	readonly #url: string;
	readonly #opts: BoardClientOptions;
	// Plain Sets on purpose: the subscribers Svelte registers, never read reactively.
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	readonly #docListeners = new Set<() => void>();
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	readonly #presenceListeners = new Set<() => void>();
	readonly #subscribeDoc;
	readonly #subscribePresence;

	constructor(
		readonly boardId: string,
		readonly me: { id: number; name: string; sector: string },
		opts: BoardClientOptions = {}
	) {
		this.#opts = opts;
		this.#initialState = opts.initialState ?? null;
		this.#url =
			opts.url ?? `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/collab`;
		this.#subscribeDoc = createSubscriber((update) => {
			this.#docListeners.add(update);
			return () => this.#docListeners.delete(update);
		});
		this.#subscribePresence = createSubscriber((update) => {
			this.#presenceListeners.add(update);
			return () => this.#presenceListeners.delete(update);
		});
		this.#open();
	}

	/**
	 * Runs a change on the board document. Kept (with the clocks it spans) until the server
	 * confirms it stored, so it can be replayed if an earlier change of this tab is refused.
	 */
	change<T>(op: (doc: Y.Doc) => T): T {
		const clock = () => Y.getState(this.doc.store, this.doc.clientID);
		const before = clock();
		const result = op(this.doc);
		const after = clock();
		const persisted = this.#saved.persisted;
		// Stored changes are never replayed; a change of deletes only has no clock to confirm it.
		this.#changes = this.#changes.filter(
			(c) => c.after > persisted || (c.after === c.before && c.before === persisted)
		);
		this.#changes.push({ op, before, after });
		if (this.#changes.length > MAX_KEPT_CHANGES) this.#changes.shift();
		return result;
	}

	dismissRefusal(): void {
		this.refused = null;
	}

	#open(): void {
		const doc = new Y.Doc();
		this.doc = doc;
		this.#idb =
			this.#opts.cache === false || this.#opts.readOnly
				? null
				: new IndexeddbPersistence(`yoriai-board-${this.boardId}-u${this.me.id}`, doc);
		const initialState = this.#initialState;
		this.#initialState = null;
		let applied: () => void = () => {};
		const Socket = initialState
			? openingAfter(
					this.#opts.WebSocketPolyfill ?? WebSocket,
					new Promise<void>((resolve) => (applied = resolve))
				)
			: this.#opts.WebSocketPolyfill;
		const provider = new WebsocketProvider(this.#url, this.boardId, doc, {
			...(Socket ? { WebSocketPolyfill: Socket } : {}),
			// Ask the server to report what it has stored, for the saved / saving indicator, and to
			// say when it refuses a change.
			params: savedParams(),
			// All sync goes through the server, which enforces roles; tabs do not talk directly.
			disableBc: true,
			maxBackoffTime: 5000
		});
		this.provider = provider;
		if (initialState) void this.#applyHttpState(doc, provider, initialState()).finally(applied);
		let everConnected = false;
		this.state = 'connecting';
		this.synced = false;
		this.closeCode = null;
		provider.on('sync', (synced: boolean) => {
			if (synced) this.synced = true;
		});
		provider.on('status', ({ status }) => {
			if (status === 'connected') everConnected = true;
			// Once connected, reconnecting means being offline as far as the user is concerned.
			this.state =
				status === 'connected'
					? 'connected'
					: status === 'connecting' && !everConnected
						? 'connecting'
						: 'offline';
		});
		// 44xx close codes are final (revoked session, removed from the board): stop retrying.
		provider.on('closed', ({ code }) => {
			this.state = 'closed';
			this.closeCode = code;
			// Removed from the board, or the board deleted: its content must not stay in this browser.
			if (code === 4403 || code === 4404) void this.#idb?.clearData();
		});
		provider.messageHandlers[MESSAGE_REFUSED] = (_encoder, decoder) => {
			const { rule, clocks } = readRefusal(decoder);
			void this.#recover(doc, rule, clocks.get(doc.clientID));
		};
		this.#saved = trackSaved(provider);
		this.#stopSaved = this.#saved.subscribe((st) => (this.unsynced = st.unsynced));
		// Only changes made here (transactions without an origin) are undoable: never someone else's.
		this.undo = new Y.UndoManager(
			[ROOTS.lanes, ROOTS.cards, ROOTS.comments, ROOTS.cardLabels, ROOTS.labels].map((r) =>
				doc.getMap(r)
			),
			// A plain Set on purpose: Yjs reads it, Svelte never needs to.
			// eslint-disable-next-line svelte/prefer-svelte-reactivity
			{ trackedOrigins: new Set([null]), captureTimeout: 600 }
		);
		doc.on('update', () => {
			this.#version++;
			for (const run of this.#docListeners) run();
		});
		provider.awareness.on('change', () => {
			for (const run of this.#presenceListeners) run();
		});
		provider.awareness.setLocalState(
			this.#opts.readOnly
				? null
				: {
						user: {
							id: this.me.id,
							name: this.me.name,
							sector: this.me.sector,
							color: COLORS[this.me.id % COLORS.length]
						},
						editing: null
					}
		);
		this.#version++;
		for (const run of this.#docListeners) run();
	}

	/**
	 * Applies the board's state fetched over HTTP. The socket connects meanwhile (its handshake's
	 * two round trips overlap the fetch), but its sync starts only after this has settled
	 * (`openingAfter`), so the server then sends only what changed since. The page shows the
	 * whole board from the moment the state is applied: it is the server's state, as a socket
	 * sync's would be.
	 */
	async #applyHttpState(
		doc: Y.Doc,
		provider: WebsocketProvider,
		state: Promise<Uint8Array | null>
	): Promise<void> {
		const bytes = await state;
		if (!bytes || doc !== this.doc || this.#destroyed) return;
		try {
			// With the provider as its origin, as a socket sync's: the provider does not send it
			// back to the server, the saved indicator does not count it, and undo never reverts it.
			Y.applyUpdate(doc, bytes, provider);
			this.synced = true;
		} catch {
			// Not a Yjs update after all: the socket's sync brings the board instead.
		}
	}

	#close(): Promise<void> {
		this.#stopSaved();
		this.#saved.destroy();
		this.undo.destroy();
		this.provider.destroy();
		const idb = this.#idb;
		this.doc.destroy();
		return idb ? idb.destroy() : Promise.resolve();
	}

	/**
	 * The server refused an update of `doc`; `accepted` is the clock it holds for this tab's
	 * client id (what came before the refused update). The first kept change past it is the
	 * refused one and is dropped; the ones after it are replayed on the server's state. (Should
	 * a replayed change be refused in turn, the next round drops it: each round drops one.)
	 */
	async #recover(doc: Y.Doc, rule: string, accepted: number | undefined): Promise<void> {
		if (this.#recovering || doc !== this.doc || this.#destroyed) return;
		this.#recovering = true;
		this.refused = rule;
		const from = accepted ?? this.#saved.persisted;
		const refusedAt = this.#changes.findIndex(
			(c) => c.after > from || (c.after === c.before && c.before >= from)
		);
		const replay = refusedAt < 0 ? [] : this.#changes.slice(refusedAt + 1);
		this.#changes = [];
		// The cached copy holds the refused change: it must not come back on the next load.
		await this.#idb?.clearData();
		await this.#close();
		if (this.#destroyed) return;
		this.#open();
		const fresh = this.doc;
		await new Promise<void>((resolve) => {
			if (this.provider.synced) return resolve();
			const onSync = (synced: boolean) => {
				if (!synced) return;
				this.provider.off('sync', onSync);
				resolve();
			};
			this.provider.on('sync', onSync);
		});
		this.#recovering = false;
		if (this.#destroyed || fresh !== this.doc) return;
		for (const c of replay) {
			try {
				this.change(c.op);
			} catch (e) {
				// What it changed is gone on the server's board (deleted, moved on): nothing to do.
				if (!(e instanceof BoardError)) throw e;
			}
		}
	}

	/** The board as plain data, recomputed only after the document changed. */
	get view(): BoardView {
		this.#subscribeDoc();
		if (this.#view?.version !== this.#version)
			this.#view = { version: this.#version, value: readBoard(this.doc) };
		return this.#view.value;
	}

	/** Phase, lock, timer and spotlight as the server last set them. */
	get facilitation(): Facilitation {
		this.#subscribeDoc();
		return readFacilitation(this.doc);
	}

	/** Live vote progress: counts only, written by the server alone (see votes/progress.ts). */
	get votes(): VoteProgress[] {
		this.#subscribeDoc();
		return readVoteProgress(this.doc);
	}

	comments(cardId: string): CommentView[] {
		this.#subscribeDoc();
		return readComments(this.doc, cardId);
	}

	get presence(): PresenceUser[] {
		this.#subscribePresence();
		const mine = this.provider.awareness.clientID;
		const out: PresenceUser[] = [];
		for (const [clientId, s] of this.provider.awareness.getStates()) {
			const u = (s as { user?: Partial<PresenceUser> }).user;
			if (!u || typeof u.id !== 'number' || typeof u.name !== 'string') continue;
			out.push({
				clientId,
				id: u.id,
				name: u.name,
				sector: typeof u.sector === 'string' ? u.sector : 'other',
				color:
					typeof u.color === 'string' && /^#[0-9a-f]{6}$/iu.test(u.color) ? u.color : COLORS[0]!,
				editing:
					typeof (s as { editing?: unknown }).editing === 'string'
						? (s as { editing: string }).editing
						: null,
				self: clientId === mine
			});
		}
		return out;
	}

	setEditing(cardId: string | null): void {
		this.provider.awareness.setLocalStateField('editing', cardId);
	}

	destroy(): void {
		this.#destroyed = true;
		void this.#close();
	}
}
