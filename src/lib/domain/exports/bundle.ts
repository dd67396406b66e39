import type { MergedRef } from '../decisions/schemas';
import type { ActionView, Decision } from '../decisions/types';
import type { VoteResults } from '../votes/results';
import type { ExportLabel, ExportLane } from './cards';

/**
 * Everything an export of one board can contain, gathered once on the server and rendered into
 * each format. What is in it depends on who asks: observers get the action list and revealed
 * results; facilitators and participants also the decisions with rationale and dissent, and
 * participants by sector (see roles.ts, `export` and `export_record`).
 */
export interface ExportBundle {
	board: { id: string; title: string; purpose: string; workshopDate: string | null };
	exportedAt: number;
	/** Whether the deliberation record (decisions, dissent, participants) is included. */
	record: boolean;
	/**
	 * Facilitators and participants per declared sector, with the names of those who agreed to be
	 * named in records (account setting, off by default). Empty without `record`.
	 */
	participants: { sector: string; count: number; names: string[] }[];
	/** Empty without `record`. */
	decisions: Decision[];
	actions: ExportAction[];
	/** Revealed sessions' published results (aggregates, never choices by name). */
	votes: VoteResults[];
	/** The board's labels, in order. */
	labels: ExportLabel[];
	/** The cards on the board now, by lane (archived ones nowhere). Empty unless asked for. */
	lanes: ExportLane[];
}

export interface ExportAction extends ActionView {
	/** What the action's decision says now (its latest revision). */
	decision: string;
	/** Labels on the action's cards as they are on the board now, each once. */
	labels: string[];
	/** Cards merged into the action's cards, as they are on the board now: who wrote what. */
	mergedFrom: MergedRef[];
}
