import type { Provenance } from '../board/doc';
import type { VoteResults } from '../votes/results';
import type { CardRef, Dissent } from './schemas';

/** Where an action stands. Owners and facilitators move it; nothing is ever deleted. */
export const ACTION_STATUSES = ['open', 'in_progress', 'done', 'dropped'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

/** What a board's audit log records: never a ballot or anyone's choice. */
export const AUDIT_KINDS = [
	'vote_opened',
	'vote_closed',
	'vote_revealed',
	'decision_recorded',
	'decision_revised',
	'action_created',
	'action_updated',
	'member_added',
	'member_role_changed',
	'member_removed',
	'board_archived',
	'board_restored'
] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

/** Who did something, as the audit log and decision records keep it (the name as it was then). */
export interface Actor {
	id: number;
	name: string;
}

export type ActionOwner =
	| { kind: 'none' }
	| { kind: 'member'; userId: number; name: string; organisation: string }
	| { kind: 'organisation'; name: string };

export interface ActionView {
	id: number;
	boardId: string;
	decisionId: number;
	title: string;
	owner: ActionOwner;
	/** YYYY-MM-DD, or null when no date was set. */
	due: string | null;
	status: ActionStatus;
	notes: string;
	/** The cards behind the action and their sources, copied when it was created. */
	cards: { id: string; title: string }[];
	sources: Provenance[];
	createdAt: number;
	updatedAt: number;
}

export interface DecisionRevision {
	revision: number;
	text: string;
	rationale: string;
	dissent: Dissent[];
	cards: CardRef[];
	/** The vote that backed it, with its published results as they were when recorded. */
	vote: { sessionId: number | null; results: VoteResults } | null;
	recordedBy: string;
	recordedAt: number;
}

export interface Decision {
	id: number;
	createdAt: number;
	/** Newest first: `revisions[0]` is the decision as it stands. */
	revisions: DecisionRevision[];
}

export interface AuditEntryView {
	id: number;
	at: number;
	actorId: number | null;
	actorName: string;
	kind: AuditKind;
	subject: string;
	detail: Record<string, unknown>;
}
