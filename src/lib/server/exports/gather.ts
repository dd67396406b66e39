import type { ExportBundle } from '../../domain/exports/bundle';
import { exportLanes, labelNames, mergedRefs } from '../../domain/exports/cards';
import { SECTORS, type Sector } from '../../domain/accounts/sectors';
import { publishedAggregates } from '../../domain/votes/results';
import { getBoard } from '../boards/boards';
import type { CollabApp } from '../collab';
import { listBoardActions } from '../decisions/actions';
import { listDecisions } from '../decisions/decisions';
import { readBoardCards } from '../votes/cards';
import { loadResults } from '../votes/results';
import { listSessions } from '../votes/sessions';

export interface BundleParts {
	/** The deliberation record: decisions with rationale and dissent, participants by sector. */
	record: boolean;
	/** Revealed sessions' results (costs a tally per session; only JSON and Markdown need them). */
	votes: boolean;
	/** The board's cards by lane (XLSX, JSON and Markdown list them). */
	cards: boolean;
}

/**
 * Everything one export needs, read once. Every list is bounded by the per-board limits
 * (actions, decisions, sessions), so an export's cost is too (EXP-07). Only revealed sessions
 * contribute results, and only their published aggregates.
 */
export async function gatherBundle(
	app: CollabApp,
	boardId: string,
	parts: BundleParts,
	now: number
): Promise<ExportBundle | null> {
	const board = await getBoard(app.db, boardId);
	if (!board) return null;
	const decisions = await listDecisions(app.db, boardId);
	const decisionText = new Map(decisions.map((d) => [d.id, d.revisions[0]?.text ?? '']));
	// Labels and merged cards are read from the board as it is now (shared with vote results).
	const cards = await readBoardCards(app, boardId);
	const actions = (await listBoardActions(app.db, boardId)).map((a) => {
		const onBoard = a.cards.flatMap((c) => cards.byId.get(c.id) ?? []);
		return {
			...a,
			decision: decisionText.get(a.decisionId) ?? '',
			labels: [...new Set(onBoard.flatMap((c) => labelNames(c, cards.view)))],
			mergedFrom: onBoard.flatMap(mergedRefs)
		};
	});
	const votes = [];
	if (parts.votes) {
		const revealed = (await listSessions(app.db, boardId))
			.filter((s) => s.revealedAt !== null)
			.reverse();
		for (const s of revealed) votes.push(publishedAggregates(await loadResults(app.db, s, cards)));
	}
	return {
		board: {
			id: board.id,
			title: board.title,
			purpose: board.purpose,
			workshopDate: board.workshop_date
		},
		exportedAt: now,
		record: parts.record,
		participants: parts.record ? await participantsBySector(app, boardId) : [],
		decisions: parts.record ? decisions : [],
		actions,
		votes,
		labels: cards.view.labels.map((l) => ({ name: l.name, color: l.color })),
		lanes: parts.cards ? exportLanes(cards.view) : []
	};
}

/** Facilitators and participants per declared sector, in the catalogue's sector order. */
async function participantsBySector(app: CollabApp, boardId: string) {
	const rows = await app.db
		.selectFrom('board_members')
		.innerJoin('users', 'users.id', 'board_members.user_id')
		.select(['users.sector', (eb) => eb.fn.countAll<number>().as('n')])
		.where('board_members.board_id', '=', boardId)
		.where('board_members.role', 'in', ['facilitator', 'participant'])
		.groupBy('users.sector')
		.execute();
	const counts = new Map(rows.map((r) => [r.sector, Number(r.n)]));
	return SECTORS.filter((s) => counts.has(s)).map((s: Sector) => ({
		sector: s,
		count: counts.get(s)!
	}));
}
