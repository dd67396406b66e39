/**
 * Board roles and what each may do: the one role × action matrix every load, action and socket
 * message is checked against (AC-01). UI hiding follows it; it is never the control.
 */
export const BOARD_ROLES = ['facilitator', 'participant', 'observer'] as const;
export type BoardRole = (typeof BOARD_ROLES)[number];

export type BoardAction =
	| 'read'
	| 'edit' // change the shared document: cards, lanes, comments
	| 'vote'
	| 'facilitate' // phases, timers, votes, decisions
	| 'manage_members'
	| 'decide' // record decisions and their actions, edit actions
	| 'audit' // read and export the board's audit log
	// the published outcome: the action list (CSV, XLSX, iCalendar, print) and revealed results
	| 'export'
	// the deliberation record: minutes (Markdown), the full JSON export, decisions with dissent
	| 'export_record';

const MATRIX: Record<BoardRole, ReadonlySet<BoardAction>> = {
	facilitator: new Set([
		'read',
		'edit',
		'vote',
		'facilitate',
		'manage_members',
		'decide',
		'audit',
		'export',
		'export_record'
	]),
	participant: new Set(['read', 'edit', 'vote', 'export', 'export_record']),
	// Observers (press, public, other ministries) follow along and can take the published
	// outcome home — the action list and revealed results — but not the record of who argued
	// what (minutes with dissent by sector, participants by sector), nothing more.
	observer: new Set(['read', 'export'])
};

export function roleAllows(role: BoardRole | null, action: BoardAction): boolean {
	return role !== null && MATRIX[role].has(action);
}

export function isBoardRole(value: unknown): value is BoardRole {
	return typeof value === 'string' && (BOARD_ROLES as readonly string[]).includes(value);
}
