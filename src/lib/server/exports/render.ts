import { japanDate } from '../../domain/decisions/due';
import type { FileRequest } from '../../domain/exports/formats';
import { contentDisposition } from '../../domain/exports/filename';
import { actionsCalendar } from '../../domain/exports/ics';
import { minutesMarkdown } from '../../domain/exports/markdown';
import { toJsonExport } from '../../domain/exports/schema';
import { actionTable, auditTable, cardTable, resultsTable } from '../../domain/exports/table';
import { MERGED_GROUP } from '../../domain/votes/sectors';
import type { Translate } from '../../i18n/translate';
import type { App } from '../app';
import { getBoard } from '../boards/boards';
import { auditNames, listAudit } from '../boards/audit-log';
import { readBoardCards } from '../votes/cards';
import { loadResults } from '../votes/results';
import { getSession } from '../votes/sessions';
import { tableToCsv } from './csv';
import { gatherBundle } from './gather';
import { tablesToXlsx } from './xlsx';

export interface ExportFile {
	body: string | Uint8Array<ArrayBuffer>;
	contentType: string;
	disposition: string;
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const CSV = 'text/csv; charset=utf-8';
/** The audit log export shows the newest entries up to this many (EXP-07). */
const AUDIT_ROWS = 10_000;

/** Renders one export; null when the board (or the revealed session asked for) is not there. */
export async function renderExport(
	app: Pick<App, 'db' | 'config' | 'database' | 'events' | 'now'>,
	boardId: string,
	req: FileRequest,
	t: Translate,
	now: number
): Promise<ExportFile | null> {
	const board = await getBoard(app.db, boardId);
	if (!board) return null;
	const day = new Date(now).toISOString().slice(0, 10);
	const file = (
		kind: string,
		suffix: string,
		ext: string,
		contentType: string,
		body: ExportFile['body']
	) => ({
		body,
		contentType,
		disposition: contentDisposition(
			`yoriai-${boardId}-${kind}-${day}`,
			board.title,
			`${suffix} ${day}`,
			ext
		)
	});
	const groupLabel = (key: string) =>
		key === MERGED_GROUP ? t('results.group.merged') : t(`sector.${key as 'other'}`);

	if (req.format === 'results-csv' || req.format === 'results-xlsx') {
		const session = await getSession(app.db, boardId, req.session);
		// Unrevealed results do not exist as far as any export is concerned.
		if (!session || session.revealedAt === null) return null;
		const results = await loadResults(app.db, session, await readBoardCards(app, boardId));
		const table = resultsTable(results, t, groupLabel);
		const suffix = `${t('export.sheet.results')} ${session.title}`;
		return req.format === 'results-csv'
			? file(`vote-${session.id}`, suffix, 'csv', CSV, tableToCsv(table, t))
			: file(
					`vote-${session.id}`,
					suffix,
					'xlsx',
					XLSX,
					await tablesToXlsx([table], board.title, t)
				);
	}
	if (req.format === 'audit-csv') {
		const entries = await listAudit(app.db, boardId, AUDIT_ROWS);
		const table = auditTable(entries, t, await auditNames(app.db, entries));
		return file('audit', t('export.sheet.audit'), 'csv', CSV, tableToCsv(table, t));
	}

	const record = req.format === 'md' || req.format === 'json';
	const cards = record || req.format === 'xlsx';
	const bundle = await gatherBundle(
		app,
		boardId,
		{ record, votes: record, cards, comments: record },
		now
	);
	if (!bundle) return null;
	const suffix = t(record ? 'export.suffix.record' : 'export.sheet.actions');
	switch (req.format) {
		case 'csv':
			return file(
				'actions',
				suffix,
				'csv',
				CSV,
				tableToCsv(actionTable(bundle.actions, japanDate(bundle.exportedAt), t), t)
			);
		case 'xlsx':
			return file(
				'actions',
				suffix,
				'xlsx',
				XLSX,
				await tablesToXlsx(
					[
						actionTable(bundle.actions, japanDate(bundle.exportedAt), t),
						cardTable(bundle.lanes, t)
					],
					board.title,
					t
				)
			);
		case 'ics':
			return file(
				'actions',
				suffix,
				'ics',
				'text/calendar; charset=utf-8',
				actionsCalendar(bundle, t, new URL(app.config.origin).host)
			);
		case 'md':
			return file(
				'minutes',
				suffix,
				'md',
				'text/markdown; charset=utf-8',
				minutesMarkdown(bundle, t)
			);
		case 'json':
			return file(
				'record',
				suffix,
				'json',
				'application/json; charset=utf-8',
				JSON.stringify(toJsonExport(bundle), null, 2)
			);
	}
}
