import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { ActionStatus, AuditKind } from '../../domain/decisions/types';
import type { LinkBasis, LinkType } from '../../domain/library/seed-schema';
import type { VoteMethod } from '../../domain/votes/methods';
import type {
	ActorKey,
	ItemKind,
	ModalityKey,
	ReportKindKey,
	SubkindKey,
	ThemeKey
} from '../../domain/library/vocabulary';

/**
 * The database's table types, in one place. Times are Unix milliseconds (integers), booleans
 * are 0/1 — SQLite has neither type, and the same integers port to PostgreSQL unchanged.
 */
export interface Database {
	users: UsersTable;
	sessions: SessionsTable;
	auth_events: AuthEventsTable;
	reports: ReportsTable;
	report_sections: ReportSectionsTable;
	items: ItemsTable;
	item_themes: ItemThemesTable;
	item_actors: ItemActorsTable;
	item_links: ItemLinksTable;
	item_related: ItemRelatedTable;
	items_fts: ItemsFtsTable;
	boards: BoardsTable;
	board_members: BoardMembersTable;
	board_invites: BoardInvitesTable;
	invite_redemptions: InviteRedemptionsTable;
	board_facilitation: BoardFacilitationTable;
	board_drafts: BoardDraftsTable;
	collab_updates: CollabUpdatesTable;
	collab_snapshots: CollabSnapshotsTable;
	vote_sessions: VoteSessionsTable;
	vote_drafts: VoteDraftsTable;
	ballots: BallotsTable;
	ballot_entries: BallotEntriesTable;
	decisions: DecisionsTable;
	decision_revisions: DecisionRevisionsTable;
	actions: ActionsTable;
	board_audit: BoardAuditTable;
	instance_settings: InstanceSettingsTable;
	board_creators: BoardCreatorsTable;
	password_resets: PasswordResetsTable;
	admin_audit: AdminAuditTable;
	backup_runs: BackupRunsTable;
	throttle_state: ThrottleStateTable;
	report_imports: ReportImportsTable;
	report_import_curators: ReportImportCuratorsTable;
	report_import_items: ReportImportItemsTable;
	report_import_sections: ReportImportSectionsTable;
	collab_processes: CollabProcessesTable;
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
	/** Set while an administrator has disabled the account (no sign-in, no session). */
	disabled_at: ColumnType<number | null, number | null | undefined, number | null>;
	/** Set once the person deleted their account (the row stays as the author of what they wrote). */
	deleted_at: ColumnType<number | null, number | null | undefined, number | null>;
	/** 1 once the person agreed to be named in workshop records; sector counts only otherwise. */
	name_in_record: ColumnType<number, number | undefined, number>;
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

/**
 * The report library (migrations/20261122130000_library.ts). Vocabulary columns (kind, theme,
 * actor, …) hold the keys of src/lib/domain/library/vocabulary.ts; the loader writes only
 * validated seed content, so they are typed as those keys.
 */
export interface ReportsTable {
	slug: string;
	prefix: string;
	source: string;
	title_ja: string;
	title_en: string;
	publisher_ja: string;
	publisher_en: string;
	date: string;
	date_note: string | null;
	kind: ReportKindKey;
	summary_ja: string;
	summary_en: string;
	content_hash: string;
	retired_at: number | null;
}

export interface ReportSectionsTable {
	id: string;
	report_slug: string;
	parent_id: string | null;
	number: string | null;
	title_ja: string;
	title_en: string;
	position: number;
	content_hash: string;
	retired_at: number | null;
}

export interface ItemsTable {
	id: string;
	report_slug: string;
	section_id: string;
	parent_id: string | null;
	kind: ItemKind;
	subkind: SubkindKey | null;
	title_ja: string;
	title_en: string;
	summary_ja: string;
	quote: string;
	horizon: number | null;
	kpi: string | null;
	modality: ModalityKey | null;
	/** The PDF page of the quote (imported reports; migrations/20261204170000_import_curation_fields.ts). */
	page: ColumnType<number | null, number | null | undefined, number | null>;
	position: number;
	content_hash: string;
	retired_at: number | null;
}

export interface ItemThemesTable {
	item_id: string;
	theme: ThemeKey;
	position: number;
}

export interface ItemActorsTable {
	item_id: string;
	actor: ActorKey;
	stated: number;
	position: number;
}

export interface ItemLinksTable {
	item_id: string;
	type: LinkType;
	target_id: string;
	basis: LinkBasis;
	position: number;
}

export interface ItemRelatedTable {
	item_id: string;
	related_id: string;
	score: number;
}

/** FTS5 virtual table: folded search text per item (see the migration). */
export interface ItemsFtsTable {
	item_id: string;
	title: string;
	body: string;
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
	previous_board_id: ColumnType<string | null, string | null | undefined, string | null>;
	series_id: ColumnType<string | null, string | null | undefined, string | null>;
	/** Set while the board is archived (read-only for everyone); null while in use. */
	archived_at: ColumnType<number | null, number | null | undefined, number | null>;
	archived_by: ColumnType<number | null, number | null | undefined, number | null>;
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
	/** CRC-32 of `data`; null on rows written before checksums. */
	crc: ColumnType<number | null, number | null | undefined, number | null>;
	created_at: number;
}

/** A board's compacted Yjs state: everything up to and including log row `seq`. */
export interface CollabSnapshotsTable {
	board_id: string;
	seq: number;
	data: Uint8Array;
	/** CRC-32 of `data`; null on rows written before checksums. */
	crc: ColumnType<number | null, number | null | undefined, number | null>;
	updated_at: number;
}

export interface BoardInvitesTable {
	id: Generated<number>;
	board_id: string;
	token_hash: string;
	role: 'participant' | 'observer';
	expires_at: number;
	max_uses: number;
	uses: ColumnType<number, number | undefined, number>;
	note: ColumnType<string, string | undefined, string>;
	/** What the invited person sees on the landing page; `note` stays with the facilitators. */
	welcome: ColumnType<string, string | undefined, string>;
	created_by: number;
	created_at: number;
	revoked_at: number | null;
}

export interface InviteRedemptionsTable {
	invite_id: number;
	user_id: number;
	at: number;
}

export interface BoardFacilitationTable {
	board_id: string;
	phase: string;
	locked: number;
	timer: string | null;
	spotlight: string | null;
	updated_at: number;
}

export interface BoardDraftsTable {
	id: Generated<number>;
	board_id: string;
	user_id: number;
	title: string;
	note: ColumnType<string, string | undefined, string>;
	created_at: number;
	revealed_at: number | null;
}

/**
 * Votes (migrations/20261123120000_votes.ts). JSON columns are written only from validated
 * values and parsed with their schemas when read (src/lib/server/votes/).
 */
/** A vote prepared before the session, opened from the cockpit in one click. */
export interface VoteDraftsTable {
	id: Generated<number>;
	board_id: string;
	title: string;
	/** The "open a vote" form as submitted, JSON: `{ fields, cards }`, checked again on opening. */
	fields: string;
	created_by: number | null;
	created_at: number;
}

export interface VoteSessionsTable {
	id: Generated<number>;
	board_id: string;
	title: string;
	method: VoteMethod;
	settings: string;
	cards: string;
	anonymous: number;
	min_group: number;
	deadline: number | null;
	status: 'open' | 'closed';
	opened_by: number;
	opened_at: number;
	closed_at: number | null;
	revealed_at: number | null;
	/** 1 when facilitators are eligible voters in this session (observers never are). */
	facilitators_vote: ColumnType<number, number | undefined, number>;
	/** 1 when each voter sees the ballot's cards in their own stable shuffled order. */
	shuffle: ColumnType<number, number | undefined, number>;
}

export interface BallotsTable {
	id: Generated<number>;
	session_id: number;
	user_id: number;
	sector: string;
	cast_at: number;
	updated_at: number;
}

export interface BallotEntriesTable {
	ballot_id: number;
	card_id: string;
	value: number;
	value2: number | null;
	wording_hash: string;
}

export type VoteSessionRow = Selectable<VoteSessionsTable>;

/** Decisions, actions and the audit log (migrations/20261123130000_decisions.ts). */
export interface DecisionsTable {
	id: Generated<number>;
	board_id: string;
	created_by: number | null;
	created_at: number;
}

export interface DecisionRevisionsTable {
	id: Generated<number>;
	decision_id: number;
	revision: number;
	text: string;
	rationale: string;
	dissent: string;
	cards: string;
	vote_session_id: number | null;
	vote_snapshot: string | null;
	recorded_by: number | null;
	recorded_by_name: string;
	recorded_at: number;
}

export interface ActionsTable {
	id: Generated<number>;
	board_id: string;
	decision_id: number;
	title: string;
	owner_user_id: number | null;
	owner_name: string;
	due_date: string | null;
	status: ActionStatus;
	notes: string;
	cards: string;
	sources: string;
	created_by: number | null;
	created_at: number;
	updated_by: number | null;
	updated_at: number;
}

export interface BoardAuditTable {
	id: Generated<number>;
	board_id: string;
	at: number;
	actor_id: number | null;
	actor_name: string;
	kind: AuditKind;
	subject: string;
	detail: string;
}

/** Instance-wide settings chosen by administrators (see src/lib/server/admin/settings.ts). */
export interface InstanceSettingsTable {
	key: string;
	value: string;
	updated_at: number;
	updated_by: number | null;
}

export interface BoardCreatorsTable {
	user_id: number;
	added_at: number;
}

export interface PasswordResetsTable {
	id: Generated<number>;
	user_id: number;
	token_hash: string;
	created_by: number | null;
	created_at: number;
	expires_at: number;
	used_at: number | null;
}

export interface AdminAuditTable {
	id: Generated<number>;
	at: number;
	actor_id: number | null;
	actor_name: string;
	kind: string;
	subject: string;
	detail: string;
}

export interface BackupRunsTable {
	id: Generated<number>;
	started_at: number;
	finished_at: number;
	ok: number;
	file: string;
	bytes: number;
	message: string;
}

/** Throttles shared by several processes on PostgreSQL (auth/shared-throttle.ts). */
export interface ThrottleStateTable {
	scope: string;
	key: string;
	/** A bucket's tokens, or a backoff's consecutive failures. */
	value: number;
	/** A bucket's last refill, or the time until which a backoff refuses (ms). */
	at: number;
}

/**
 * Reports brought in by curators (migrations/20261203140000_report_imports.ts). JSON columns:
 * `page_starts` (number[]), `outline` (ImportSection[]), `meta` (the seed's report fields),
 * `themes` (ThemeKey[]), `actors` (SeedActor[]), `seed_json` (the published SeedFile).
 */
export interface ReportImportsTable {
	id: string;
	file_name: string;
	format: string;
	encoding: string | null;
	text: string;
	page_starts: string;
	outline: string;
	meta: string;
	meta_version: ColumnType<number, number | undefined, number>;
	status: 'draft' | 'published' | 'retired';
	slug: string | null;
	seed_json: string | null;
	created_by: number | null;
	created_at: number;
	updated_at: number;
	published_by: number | null;
	published_at: number | null;
	retired_at: number | null;
}

export interface ReportImportCuratorsTable {
	import_id: string;
	user_id: number;
	added_at: number;
}

export interface ReportImportItemsTable {
	id: Generated<number>;
	import_id: string;
	start_at: number;
	end_at: number;
	section: number;
	kind: ItemKind;
	subkind: SubkindKey | null;
	modality: ModalityKey | null;
	horizon: number | null;
	rule: string;
	status: 'candidate' | 'accepted' | 'rejected';
	title_ja: ColumnType<string, string | undefined, string>;
	title_en: ColumnType<string, string | undefined, string>;
	summary_ja: ColumnType<string, string | undefined, string>;
	themes: ColumnType<string, string | undefined, string>;
	actors: ColumnType<string, string | undefined, string>;
	published_id: string | null;
	version: ColumnType<number, number | undefined, number>;
	updated_by: number | null;
	updated_at: number;
	kpi: ColumnType<string | null, string | null | undefined, string | null>;
	/** Row id of the parent item in the same draft. */
	parent_item: ColumnType<number | null, number | null | undefined, number | null>;
	/** JSON DraftLink[]: links to other items of the draft, by row id. */
	links: ColumnType<string, string | undefined, string>;
}

/** A section's English title in a draft import, versioned per section. */
export interface ReportImportSectionsTable {
	import_id: string;
	section: number;
	title_en: string;
	version: ColumnType<number, number | undefined, number>;
	updated_by: number | null;
	updated_at: number;
}

/** Realtime processes on PostgreSQL, by their board-log connection (collab/pg-board-log.ts). */
export interface CollabProcessesTable {
	backend_pid: number;
	process_id: string;
	/** Where the other processes relay sockets to this one (YORIAI_INTERNAL_URL); null: nowhere. */
	address: string | null;
	/** The database's clock at the last heartbeat (ms). */
	beat_at: number;
}
