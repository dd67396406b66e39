import { createSubscriber } from 'svelte/reactivity';
import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { readBoard, readComments, type BoardView, type CommentView } from '../domain/board/doc';
import { readFacilitation, type Facilitation } from '../domain/board/facilitation';
import { ROOTS } from '../domain/board/schema';
import { readVoteProgress, type VoteProgress } from '../domain/votes/progress';
import { savedParams, trackSaved, type SavedTracker } from './saved';

export type ConnectionState = 'connecting' | 'connected' | 'offline' | 'closed';

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

/**
 * The browser side of one board: the Yjs document, its copy in IndexedDB (edits made offline
 * survive a reload and merge on reconnect), the y-websocket connection, presence, and undo of
 * one's own changes only. Svelte reads it through `createSubscriber`, so components re-render
 * when the document or presence changes and nothing is copied into component state by hand.
 */
export class BoardClient {
	readonly doc = new Y.Doc();
	readonly provider: WebsocketProvider;
	readonly undo: Y.UndoManager;
	readonly #idb: IndexeddbPersistence;
	#version = 0;
	#view: { version: number; value: BoardView } | null = null;
	state = $state<ConnectionState>('connecting');
	closeCode = $state<number | null>(null);
	/** Local changes the server has not yet confirmed as stored on disk. */
	unsynced = $state(0);
	readonly #saved: SavedTracker;
	readonly #stopSaved: () => void;
	readonly #subscribeDoc;
	readonly #subscribePresence;

	constructor(
		readonly boardId: string,
		readonly me: { id: number; name: string; sector: string },
		opts: { url?: string } = {}
	) {
		this.#idb = new IndexeddbPersistence(`yoriai-board-${boardId}-u${me.id}`, this.doc);
		const url =
			opts.url ?? `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/collab`;
		this.provider = new WebsocketProvider(url, boardId, this.doc, {
			// Ask the server to report what it has stored, for the saved / saving indicator.
			params: savedParams(),
			// All sync goes through the server, which enforces roles; tabs do not talk directly.
			disableBc: true,
			maxBackoffTime: 5000
		});
		let everConnected = false;
		this.provider.on('status', ({ status }) => {
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
		this.provider.on('closed', ({ code }) => {
			this.state = 'closed';
			this.closeCode = code;
			// Removed from the board: its content must not stay behind in this browser.
			if (code === 4403) void this.#idb.clearData();
		});
		this.#saved = trackSaved(this.provider);
		this.#stopSaved = this.#saved.subscribe((s) => (this.unsynced = s.unsynced));
		// Only changes made here (transactions without an origin) are undoable: never someone else's.
		this.undo = new Y.UndoManager(
			[ROOTS.lanes, ROOTS.cards, ROOTS.comments, ROOTS.cardLabels, ROOTS.labels].map((r) =>
				this.doc.getMap(r)
			),
			// A plain Set on purpose: Yjs reads it, Svelte never needs to.
			// eslint-disable-next-line svelte/prefer-svelte-reactivity
			{ trackedOrigins: new Set([null]), captureTimeout: 600 }
		);
		this.doc.on('update', () => this.#version++);
		this.#subscribeDoc = createSubscriber((update) => {
			this.doc.on('update', update);
			return () => this.doc.off('update', update);
		});
		this.#subscribePresence = createSubscriber((update) => {
			this.provider.awareness.on('change', update);
			return () => this.provider.awareness.off('change', update);
		});
		this.provider.awareness.setLocalState({
			user: { id: me.id, name: me.name, sector: me.sector, color: COLORS[me.id % COLORS.length] },
			editing: null
		});
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
		this.#stopSaved();
		this.#saved.destroy();
		this.undo.destroy();
		this.provider.destroy();
		void this.#idb.destroy();
		this.doc.destroy();
	}
}
