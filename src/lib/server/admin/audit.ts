import type { Kysely, Transaction } from 'kysely';
import type { AdminAuditKind } from '../../domain/admin/policies';
import type { Db } from '../db/connect';
import type { Database } from '../db/schema';
import { logger } from '../log/logger';

export interface AdminAuditEntry {
	id: number;
	at: number;
	actorId: number | null;
	actorName: string;
	kind: AdminAuditKind;
	subject: string;
	detail: Record<string, unknown>;
}

/** The newest this many entries are shown and exported: bounds the page and the CSV. */
export const ADMIN_AUDIT_LIMIT = 10_000;

/**
 * Appends to the instance audit log, in the transaction of the change it records when there is
 * one. Details never hold a password, token or ballot.
 */
export async function recordAdminAudit(
	db: Kysely<Database> | Transaction<Database>,
	e: {
		actor: { id: number; name: string } | null;
		kind: AdminAuditKind;
		subject: string;
		detail?: Record<string, unknown>;
		at: number;
	}
): Promise<void> {
	await db
		.insertInto('admin_audit')
		.values({
			at: e.at,
			actor_id: e.actor?.id ?? null,
			actor_name: e.actor?.name ?? '',
			kind: e.kind,
			subject: e.subject,
			detail: JSON.stringify(e.detail ?? {})
		})
		.execute();
	logger.info(
		{ audit: e.kind, actor: e.actor?.id ?? null, subject: e.subject },
		'administrative action'
	);
}

export async function listAdminAudit(
	db: Db,
	limit = ADMIN_AUDIT_LIMIT
): Promise<AdminAuditEntry[]> {
	const rows = await db
		.selectFrom('admin_audit')
		.selectAll()
		.orderBy('id', 'desc')
		.limit(limit)
		.execute();
	return rows.map((r) => ({
		id: r.id,
		at: r.at,
		actorId: r.actor_id,
		actorName: r.actor_name,
		kind: r.kind as AdminAuditKind,
		subject: r.subject,
		detail: JSON.parse(r.detail) as Record<string, unknown>
	}));
}
