import { PRESENCE_TTL_MS, type PresencePlace } from '../../domain/board/presence';
import type { BoardRole } from '../../domain/board/roles';

/**
 * Who is on which page of a board, for the facilitator's cockpit. The realtime socket only
 * sees the board page; people voting, reading results or decisions are just as much "here", so
 * every page of a board records a visit on load and its open tab pings every
 * PRESENCE_PING_MS (domain/board/presence.ts). An entry lapses PRESENCE_TTL_MS after the last
 * sign of life.
 *
 * In memory on the app, like the realtime rooms: one process serves a database (see the
 * README), and presence is worth nothing after a restart anyway. Kept on the app object rather
 * than in a module: the SvelteKit bundle and the Node entry are separate module graphs.
 */

export interface PresenceEntry {
	userId: number;
	name: string;
	sector: string;
	role: BoardRole;
	place: PresencePlace;
	at: number;
}

const KEY = Symbol.for('yoriai.presence');
type Holder = { [KEY]?: Map<string, Map<number, PresenceEntry>> };

function boardsOf(app: object): Map<string, Map<number, PresenceEntry>> {
	return ((app as Holder)[KEY] ??= new Map());
}

/** Records that this person is on this page of the board now (one place per person: the latest). */
export function touchPresence(app: object, boardId: string, entry: PresenceEntry): void {
	const boards = boardsOf(app);
	let people = boards.get(boardId);
	if (!people) {
		people = new Map();
		boards.set(boardId, people);
	}
	people.set(entry.userId, entry);
}

/** Everyone seen on the board within the TTL, by name; lapsed entries are dropped on the way. */
export function listPresence(app: object, boardId: string, now: number): PresenceEntry[] {
	const boards = boardsOf(app);
	const people = boards.get(boardId);
	if (!people) return [];
	for (const [id, e] of people) if (now - e.at > PRESENCE_TTL_MS) people.delete(id);
	if (people.size === 0) boards.delete(boardId);
	return [...people.values()].sort((a, b) => a.name.localeCompare(b.name, 'ja'));
}
