import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * The database's table types, in one place. Times are Unix milliseconds (integers), booleans
 * are 0/1 — SQLite has neither type, and the same integers port to PostgreSQL unchanged.
 */
export interface Database {
	users: UsersTable;
	sessions: SessionsTable;
	auth_events: AuthEventsTable;
	boards: BoardsTable;
	board_members: BoardMembersTable;
	collab_updates: CollabUpdatesTable;
	collab_snapshots: CollabSnapshotsTable;
}

export interface UsersTable {
	id: Generated<number>;
	username_key: string;
	username: string;
	display_name: string;
	sector: string;
	organisation: string;
	password_hash: string;
	is_admin: ColumnType<number, number | undefined, number>;
	locale: string | null;
	created_at: number;
	password_changed_at: number;
}

export interface SessionsTable {
	id: string;
	public_id: string;
	user_id: number;
	created_at: number;
	expires_at: number;
	last_seen_at: number;
	user_agent: ColumnType<string, string | undefined, string>;
}

export interface AuthEventsTable {
	id: Generated<number>;
	at: number;
	kind: string;
	user_id: number | null;
	username_key: string | null;
	ip: string;
}

export type UserRow = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type SessionRow = Selectable<SessionsTable>;

export interface BoardsTable {
	id: string;
	title: string;
	purpose: ColumnType<string, string | undefined, string>;
	workshop_date: string | null;
	template: string;
	created_by: number;
	created_at: number;
}

export interface BoardMembersTable {
	board_id: string;
	user_id: number;
	role: 'facilitator' | 'participant' | 'observer';
	added_by: number | null;
	added_at: number;
}

export type BoardRow = Selectable<BoardsTable>;

/** A board's Yjs update log (append-only between compactions). */
export interface CollabUpdatesTable {
	board_id: string;
	seq: number;
	data: Uint8Array;
	created_at: number;
}

/** A board's compacted Yjs state: everything up to and including log row `seq`. */
export interface CollabSnapshotsTable {
	board_id: string;
	seq: number;
	data: Uint8Array;
	updated_at: number;
}
