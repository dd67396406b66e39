import type { ExportBundle } from '../../domain/exports/bundle';
import { readBoard, readComments } from '../../domain/board/doc';
import {
	exportLanes,
	labelNames,
	mergedRefs,
	type ExportComment
} from '../../domain/exports/cards';
import { SECTORS, type Sector } from '../../domain/accounts/sectors';
import { publishedAggregates } from '../../domain/votes/results';
import { getBoard } from '../boards/boards';
import { readBoardDoc, type CollabApp } from '../collab';
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
	/** Each card's comments too (the record's formats; not the XLSX card sheet). */
	comments?: boolean;
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
		lanes: parts.cards
			? exportLanes(cards.view, parts.comments ? await commentsByCard(app, boardId) : undefined)
			: []
	};
}

/**
 * Every card's visible comments, read from the server's copy of the board. Comments a
 * facilitator hid stay out of the record as they stay off the board.
 */
async function commentsByCard(
	app: CollabApp,
	boardId: string
): Promise<(cardId: string) => ExportComment[]> {
	const doc = await readBoardDoc(app, boardId);
	const byCard = new Map<string, ExportComment[]>();
	try {
		for (const cardId of readBoard(doc).lanes.flatMap((l) => l.cards.map((c) => c.id)))
			byCard.set(
				cardId,
				readComments(doc, cardId)
					.filter((c) => c.hidden === null)
					.map((c) => ({ author: c.by.name, text: c.text, at: c.at }))
			);
	} finally {
		doc.destroy();
	}
	return (cardId) => byCard.get(cardId) ?? [];
}

/**
 * Facilitators and participants per declared sector, in the catalogue's sector order, with the
 * names of those who agreed to be named in records (everyone else is only counted).
 */
async function participantsBySector(app: CollabApp, boardId: string) {
	const rows = await app.db
		.selectFrom('board_members')
		.innerJoin('users', 'users.id', 'board_members.user_id')
		.select(['users.sector', 'users.display_name', 'users.name_in_record'])
		.where('board_members.board_id', '=', boardId)
		.where('board_members.role', 'in', ['facilitator', 'participant'])
		.execute();
	// Sorted here, not in SQL: SQLite and PostgreSQL collate Japanese differently.
	const collator = new Intl.Collator('ja');
	rows.sort((a, b) => collator.compare(a.display_name, b.display_name));
	const bySector = new Map<string, { count: number; names: string[] }>();
	for (const r of rows) {
		const entry = bySector.get(r.sector) ?? { count: 0, names: [] };
		entry.count += 1;
		if (r.name_in_record === 1) entry.names.push(r.display_name);
		bySector.set(r.sector, entry);
	}
	return SECTORS.filter((s) => bySector.has(s)).map((s: Sector) => ({
		sector: s,
		...bySector.get(s)!
	}));
}
