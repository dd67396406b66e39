import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import {
	MESSAGE_REFUSED,
	MESSAGE_SAVED,
	readRefusal,
	readSaved,
	savedParams
} from '../../../src/lib/collab/saved';
import type { BoardRole } from '../../../src/lib/domain/board/roles';
import { createSession } from '../../../src/lib/server/auth/sessions';
import { createBoard } from '../../../src/lib/server/boards/create';
import { addMember } from '../../../src/lib/server/boards/members';
import { seedCardsFor } from '../../../src/lib/server/boards/seed-cards';
import type { Db } from '../../../src/lib/server/db/connect';
import { socketClass } from '../../helpers/collab';
import { createUser, type TestUser } from '../../helpers/users';
import { CLUSTER } from './harness';
import { SESSION_COOKIE } from '../session-cookie';

/**
 * People, boards and clients for the cross-process journeys (cluster-journeys.test.ts), each
 * aimed at one process on purpose — straight to its port, past nginx — so a test can make sure
 * an action lands on a process other than the one holding the socket or owning the board.
 */

export interface Someone {
	user: TestUser;
	/** A session of their own, as after signing in. */
	token: string;
}

/** An account and a signed-in session, made in the cluster's database. */
export async function someone(db: Db, displayName: string): Promise<Someone> {
	const user = await createUser(db, { displayName });
	const { token } = await createSession(db, user.id, Date.now(), 'cluster');
	return { user, token };
}

/**
 * A board seeded from a library report (so its cards carry provenance, as a real one does), the
 * first person its facilitator, the others members in the given roles.
 */
export async function seededBoard(
	db: Db,
	facilitator: Someone,
	members: [Someone, BoardRole][]
): Promise<string> {
	const { cards } = await seedCardsFor(db, {
		type: 'report',
		slug: 'cocn-7th-basic-plan-2025',
		kinds: ['proposal']
	});
	const id = await createBoard(db, {
		title: '複数プロセスの検証ボード',
		purpose: '',
		workshopDate: '2026-12-03',
		template: { type: 'report', slug: 'cocn-7th-basic-plan-2025', kinds: ['proposal'] },
		cards: cards.slice(0, 6),
		author: { id: facilitator.user.id, name: facilitator.user.displayName },
		now: Date.now()
	});
	for (const [m, role] of members) {
		const r = await addMember(db, id, {
			username: m.user.username,
			role,
			by: facilitator.user.id,
			now: Date.now()
		});
		if (!r.ok) throw new Error(`could not add ${m.user.username}: ${r.error}`);
	}
	return id;
}

/** A stock y-websocket client on one process, with what the server told it. */
export interface Pinned {
	port: number;
	provider: WebsocketProvider;
	doc: Y.Doc;
	/** The highest clock of this client the server reported stored (MESSAGE_SAVED). */
	saved: () => number;
	/** Rules the server named when it refused this client's updates (MESSAGE_REFUSED). */
	refusals: string[];
	/** Final (44xx) close codes, with when they arrived. */
	closes: { code: number; at: number }[];
}

// Each Node WebsocketProvider adds a process 'exit' listener; the journeys open a dozen.
process.setMaxListeners(100);

/**
 * A y-websocket client of `board` connected straight to the process on `port` (not through
 * nginx), asking for saved and refusal reports as the board page does.
 */
export function pinned(port: number, token: string, board: string): Pinned {
	const doc = new Y.Doc();
	const provider = new WebsocketProvider(`ws://127.0.0.1:${port}/collab`, board, doc, {
		WebSocketPolyfill: socketClass({
			Origin: CLUSTER.baseURL,
			Cookie: `${SESSION_COOKIE}=${token}`
		}),
		disableBc: true,
		params: savedParams(),
		maxBackoffTime: 2000
	});
	let saved = 0;
	const refusals: string[] = [];
	const closes: { code: number; at: number }[] = [];
	provider.messageHandlers[MESSAGE_SAVED] = (_e, decoder) => {
		saved = Math.max(saved, readSaved(decoder, doc.clientID));
	};
	provider.messageHandlers[MESSAGE_REFUSED] = (_e, decoder) => {
		refusals.push(readRefusal(decoder).rule);
	};
	provider.on('closed', ({ code }) => closes.push({ code, at: Date.now() }));
	return { port, provider, doc, saved: () => saved, refusals, closes };
}

export function synced(c: Pinned, ms = 15_000): Promise<void> {
	if (c.provider.synced) return Promise.resolve();
	return new Promise((resolve, reject) => {
		const t = setTimeout(() => reject(new Error(`client on ${c.port} not synced in ${ms} ms`)), ms);
		c.provider.once('sync', () => {
			clearTimeout(t);
			resolve();
		});
	});
}

export function release(...clients: Pinned[]): void {
	for (const c of clients) {
		c.provider.destroy();
		c.doc.destroy();
	}
}

/** This client's clock now: everything it changed so far is stored once `saved()` reaches it. */
export const clock = (c: Pinned) => Y.getState(c.doc.store, c.doc.clientID);

/**
 * A form post straight to one process, as a browser without JavaScript sends it (the Origin nginx
 * would pass on, the session cookie). `forwardedFor` stands in for the address nginx would
 * report (the processes trust one X-Forwarded-For hop).
 */
export function postTo(
	port: number,
	token: string | null,
	path: string,
	form: Record<string, string>,
	forwardedFor?: string
): Promise<Response> {
	const headers: Record<string, string> = {
		Origin: CLUSTER.baseURL,
		'Content-Type': 'application/x-www-form-urlencoded',
		Accept: 'text/html'
	};
	if (token) headers.Cookie = `${SESSION_COOKIE}=${token}`;
	if (forwardedFor) headers['X-Forwarded-For'] = forwardedFor;
	return fetch(`http://127.0.0.1:${port}${path}`, {
		method: 'POST',
		redirect: 'manual',
		headers,
		body: new URLSearchParams(form).toString()
	});
}

/** Waits until `cond` holds; returns how long that took (ms). */
export async function until(cond: () => boolean, ms: number, what: string): Promise<number> {
	const started = Date.now();
	while (!cond()) {
		if (Date.now() - started > ms) throw new Error(`${what}: not within ${ms} ms`);
		await new Promise((r) => setTimeout(r, 10));
	}
	return Date.now() - started;
}
