import { stringify } from 'csv-stringify/sync';
import { fitCell } from '../../domain/exports/cell-limit';
import { guardFormula } from '../../domain/exports/guard';
import { isDateOnly, type Cell, type Table } from '../../domain/exports/table';
import type { Translate } from '../../i18n/translate';

function cellText(c: Cell, t: Translate): string {
	if (c === null) return '';
	if (typeof c === 'number') return String(c);
	if (isDateOnly(c)) return c.date;
	return fitCell(guardFormula(c), (n) => t('export.truncated', { n }));
}

/**
 * EXP-01/02: RFC 4180 CSV — CRLF between records, fields with `"`, `,`, CR or LF quoted and
 * quotes doubled (`quote_record_delimiter` is set explicitly: csv-stringify turns it off once a
 * record delimiter is given, which would leave a bare LF unquoted) — in UTF-8 with a byte-order
 * mark, without which Japanese Excel reads the file as Shift_JIS and garbles it. Every text cell
 * and header goes through the formula guard; text longer than a spreadsheet cell holds is cut
 * with a note in the reader's language (`fitCell`).
 */
export function tableToCsv(table: Table, t: Translate): string {
	return stringify(
		[
			table.columns.map((c) => guardFormula(c.header)),
			...table.rows.map((r) => r.map((c) => cellText(c, t)))
		],
		{ bom: true, record_delimiter: 'windows', quote_record_delimiter: true, eof: true }
	);
}
