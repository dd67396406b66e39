import type { Kysely, Transaction } from 'kysely';
import { auditUserIds } from '../../domain/decisions/audit-text';
import type { Actor, AuditEntryView, AuditKind } from '../../domain/decisions/types';
import type { Db } from '../db/connect';
import type { Database } from '../db/schema';

/**
 * Appends to a board's audit log. Takes the transaction of the change it records, so the change
 * and its record commit together or not at all. Details never carry a ballot or a choice.
 */
export async function recordAudit(
	db: Kysely<Database> | Transaction<Database>,
	e: {
		boardId: string;
		/** Null for what happened by itself (a vote closing at its deadline). */
		actor: Actor | null;
		kind: AuditKind;
		subject: string;
		detail?: Record<string, unknown>;
		at: number;
	}
): Promise<void> {
	await db
		.insertInto('board_audit')
		.values({
			board_id: e.boardId,
			at: e.at,
			actor_id: e.actor?.id ?? null,
			actor_name: e.actor?.name ?? '',
			kind: e.kind,
			subject: e.subject,
			detail: JSON.stringify(e.detail ?? {})
		})
		.execute();
}

/** A board's audit log, newest first, at most `limit` entries (bounds the page and the export). */
export async function listAudit(db: Db, boardId: string, limit: number): Promise<AuditEntryView[]> {
	const rows = await db
		.selectFrom('board_audit')
		.select(['id', 'at', 'actor_id', 'actor_name', 'kind', 'subject', 'detail'])
		.where('board_id', '=', boardId)
		.orderBy('id', 'desc')
		.limit(limit)
		.execute();
	return rows.map((r) => ({
		id: r.id,
		at: r.at,
		actorId: r.actor_id,
		actorName: r.actor_name,
		kind: r.kind,
		subject: r.subject,
		detail: parseDetail(r.detail)
	}));
}

function parseDetail(json: string): Record<string, unknown> {
	const v: unknown = JSON.parse(json);
	return typeof v === 'object' && v !== null && !Array.isArray(v)
		? (v as Record<string, unknown>)
		: {};
}

/** Display names of the people entries point to (auditUserIds), for the sentences. */
export async function auditNames(
	db: Db,
	entries: readonly AuditEntryView[]
): Promise<Map<number, string>> {
	const ids = [...new Set(entries.flatMap(auditUserIds))];
	if (ids.length === 0) return new Map();
	const rows = await db
		.selectFrom('users')
		.select(['id', 'display_name'])
		.where('id', 'in', ids)
		.execute();
	return new Map(rows.map((r) => [r.id, r.display_name]));
}
