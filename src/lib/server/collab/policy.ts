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

type Policy = Pick<Facilitation, 'phase' | 'locked'>;

/** Why an update was refused: the facilitator's rules, or one of the board's (`update-rules.ts`). */
export type RefusalReason = 'server-only' | 'unknown' | 'phase' | 'locked' | BoardRule;

export type PolicyVerdict = { ok: true } | { ok: false; reason: RefusalReason; detail?: string };

/** Who sent an update: the connection's user as the server knows them, and their board role. */
export interface UpdateSender {
	id: number;
	name: string;
	role: BoardRole;
}

/**
 * The facilitator's rules for each board (phase and lock), kept in memory for the boards that
 * have connections and refreshed by the app's 'facilitation-changed' event, so every update is
 * judged against the rules in force without a query. SQL stays the authority (read on first use).
 */
export class BoardPolicies {
	readonly #policies = new Map<string, Policy>();

	constructor(private readonly db: Db) {}

	async load(boardId: string): Promise<void> {
		if (this.#policies.has(boardId)) return;
		const row = await this.db
			.selectFrom('board_facilitation')
			.select(['phase', 'locked'])
			.where('board_id', '=', boardId)
			.executeTakeFirst();
		this.#policies.set(
			boardId,
			row
				? {
						phase: isPhase(row.phase) ? row.phase : DEFAULT_FACILITATION.phase,
						locked: row.locked === 1
					}
				: { ...DEFAULT_FACILITATION }
		);
	}

	set(boardId: string, policy: Policy): void {
		this.#policies.set(boardId, policy);
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
		const policy = this.#policies.get(boardId) ?? DEFAULT_FACILITATION;
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
