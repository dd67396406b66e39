import type * as Y from 'yjs';
import { classifyUpdate } from '../../domain/board/classify-update';
import {
	DEFAULT_FACILITATION,
	isPhase,
	mayChange,
	type Facilitation
} from '../../domain/board/facilitation';
import type { BoardRole } from '../../domain/board/roles';
import { judgeBoardRules, type BoardRule } from '../../domain/board/update-rules';
import type { Db } from '../db/connect';

type Policy = Pick<Facilitation, 'phase' | 'locked'> & {
	/** An archived board (or one being deleted) takes no update from anyone, facilitators included. */
	archived: boolean;
};

/**
 * The origin of the server's own phase and lock changes to a board document. The owner of a board
 * re-reads the rules before applying such a change from another process, so no client sees the
 * new phase while its socket is still judged by the old one (the announcement may arrive later).
 */
export const FACILITATION_ORIGIN = 'facilitation';

/** Why an update was refused: the facilitator's rules, or one of the board's (`update-rules.ts`). */
export type RefusalReason = 'server-only' | 'unknown' | 'phase' | 'locked' | 'archived' | BoardRule;

export type PolicyVerdict = { ok: true } | { ok: false; reason: RefusalReason; detail?: string };

/** Who sent an update: the connection's user as the server knows them, and their board role. */
export interface UpdateSender {
	id: number;
	name: string;
	role: BoardRole;
}

/**
 * The facilitator's rules for each board (phase and lock) and whether it is archived, kept in memory for the boards that
 * have connections and refreshed by the app's 'facilitation-changed' event (from this process
 * or, on PostgreSQL, another) and by the periodic re-check, so every update is judged against the
 * rules in force without a query. SQL stays the authority (read on first use).
 */
export class BoardPolicies {
	readonly #policies = new Map<string, Policy>();
	/** Bumped by every change announced, so a refresh that read before it does not undo it. */
	#changes = 0;

	constructor(private readonly db: Db) {}

	async load(boardId: string): Promise<void> {
		if (this.#policies.has(boardId)) return;
		const row = await this.db
			.selectFrom('boards as b')
			.leftJoin('board_facilitation as f', 'f.board_id', 'b.id')
			.select(['f.phase', 'f.locked', 'b.archived_at'])
			.where('b.id', '=', boardId)
			.executeTakeFirst();
		// A change announced while this was reading is newer than the row: keep it.
		if (this.#policies.has(boardId)) return;
		this.#policies.set(boardId, {
			phase: isPhase(row?.phase) ? row.phase : DEFAULT_FACILITATION.phase,
			locked: row?.locked === 1,
			archived: row !== undefined && row.archived_at !== null
		});
	}

	/**
	 * Re-reads the phase and lock of these boards from SQL (the periodic re-check, and after
	 * events from other processes may have been missed). Whether a board is archived is kept:
	 * this process set it (setArchived), and a deletion's freeze is not in any row.
	 */
	async refresh(boardIds: string[]): Promise<void> {
		const known = boardIds.filter((id) => this.#policies.has(id));
		if (known.length === 0) return;
		const before = this.#changes;
		const rows = await this.db
			.selectFrom('board_facilitation')
			.select(['board_id', 'phase', 'locked'])
			.where('board_id', 'in', known)
			.execute();
		if (this.#changes !== before) return;
		const found = new Map(rows.map((r) => [r.board_id, r]));
		for (const id of known) {
			const p = this.#policies.get(id);
			if (!p) continue;
			const row = found.get(id);
			this.#policies.set(id, {
				phase: isPhase(row?.phase) ? row.phase : DEFAULT_FACILITATION.phase,
				locked: row?.locked === 1,
				archived: p.archived
			});
		}
	}

	/** A phase or lock change; whether the board is archived is kept. */
	set(boardId: string, policy: Pick<Policy, 'phase' | 'locked'>): void {
		this.#changes++;
		const archived = this.#policies.get(boardId)?.archived ?? false;
		this.#policies.set(boardId, { ...policy, archived });
	}

	/** Archived (or restored): applies to the very next update, loaded first so it sticks. */
	async setArchived(boardId: string, archived: boolean): Promise<void> {
		await this.load(boardId);
		const p = this.#policies.get(boardId);
		if (p) this.#policies.set(boardId, { ...p, archived });
	}

	forget(boardId: string): void {
		this.#policies.delete(boardId);
	}

	/**
	 * Whether an update from `sender` may change this board now. Server-owned parts of the
	 * document (facilitation state, vote progress) are never writable from a socket, not even by
	 * facilitators, whose changes there go through HTTP actions and the server. Phase and lock
	 * spare facilitators; the board's rules (shapes, limits, authorship, provenance) and the
	 * refusal of anything that cannot be placed bind everyone.
	 */
	judge(boardId: string, sender: UpdateSender, doc: Y.Doc, update: Uint8Array): PolicyVerdict {
		const policy = this.#policies.get(boardId) ?? { ...DEFAULT_FACILITATION, archived: false };
		if (policy.archived) return { ok: false, reason: 'archived' };
		const facilitator = sender.role === 'facilitator';
		if (!facilitator && policy.locked) return { ok: false, reason: 'locked' };
		const changes = classifyUpdate(doc, update);
		if (changes.serverOnly) return { ok: false, reason: 'server-only' };
		if (changes.unknown) return { ok: false, reason: 'unknown' };
		if (!facilitator)
			for (const kind of changes.kinds)
				if (!mayChange(policy, sender.role, kind)) return { ok: false, reason: 'phase' };
		const rules = judgeBoardRules(doc, changes, { id: sender.id, name: sender.name, facilitator });
		return rules.ok ? rules : { ok: false, reason: rules.rule, detail: rules.detail };
	}
}
