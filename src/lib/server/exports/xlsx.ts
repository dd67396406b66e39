import ExcelJS from 'exceljs';
import { fitCell } from '../../domain/exports/cell-limit';
import { guardFormula } from '../../domain/exports/guard';
import { isDateOnly, type Cell, type Table } from '../../domain/exports/table';
import type { Translate } from '../../i18n/translate';

/** Excel refuses sheet names over 31 characters or with any of : \ / ? * [ ]. */
function sheetName(name: string, taken: Set<string>): string {
	const base = [...name.replace(/[:\\/?*[\]]/gu, ' ')].slice(0, 28).join('').trim() || 'Sheet';
	let candidate = base;
	for (let i = 2; taken.has(candidate); i++) candidate = `${base} ${i}`;
	taken.add(candidate);
	return candidate;
}

function cellValue(c: Cell, t: Translate): ExcelJS.CellValue {
	if (c === null || typeof c === 'number') return c;
	if (isDateOnly(c)) {
		const [y, m, d] = c.date.split('-').map(Number) as [number, number, number];
		return new Date(Date.UTC(y, m - 1, d));
	}
	// Line breaks in a cell are LF; XML would turn a bare CR into LF on reading anyway.
	const text = guardFormula(c).replace(/\r\n?/gu, '\n');
	return fitCell(text, (n) => t('export.truncated', { n }));
}

/**
 * EXP-03: a readable workbook — bold, frozen, filterable headers, column widths, long text
 * wrapped, dates as date cells. Text is written as plain string values (exceljs only writes a
 * formula for a `{ formula }` object, never for a string) after the formula guard, numbers stay
 * numbers; Japanese text is stored as UTF-8 shared strings. Text longer than a cell holds is cut
 * with a note in the reader's language (`fitCell`).
 */
export async function tablesToXlsx(
	tables: readonly Table[],
	title: string,
	t: Translate
): Promise<Uint8Array<ArrayBuffer>> {
	const wb = new ExcelJS.Workbook();
	wb.creator = 'Yoriai';
	wb.title = guardFormula(title);
	const taken = new Set<string>();
	for (const table of tables) {
		const ws = wb.addWorksheet(sheetName(table.name, taken), {
			views: [{ state: 'frozen', ySplit: 1 }]
		});
		ws.columns = table.columns.map((c, i) => ({
			header: guardFormula(c.header),
			key: `c${i}`,
			width: c.width,
			style: c.wrap
				? { alignment: { wrapText: true, vertical: 'top' } }
				: { alignment: { vertical: 'top' } }
		}));
		ws.getRow(1).font = { bold: true };
		for (const row of table.rows) {
			const added = ws.addRow(row.map((c) => cellValue(c, t)));
			row.forEach((c, i) => {
				if (isDateOnly(c)) added.getCell(i + 1).numFmt = 'yyyy-mm-dd';
			});
		}
		if (table.columns.length > 0)
			ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: table.columns.length } };
	}
	// exceljs types its result as its own Buffer interface; at run time it is a Node Buffer.
	return new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer);
}
