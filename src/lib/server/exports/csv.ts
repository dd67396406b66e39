import { stringify } from 'csv-stringify/sync';
import { guardFormula } from '../../domain/exports/guard';
import { isDateOnly, type Cell, type Table } from '../../domain/exports/table';

function cellText(c: Cell): string {
	if (c === null) return '';
	if (typeof c === 'number') return String(c);
	if (isDateOnly(c)) return c.date;
	return guardFormula(c);
}

/**
 * EXP-01/02: RFC 4180 CSV — CRLF between records, fields with `"`, `,`, CR or LF quoted and
 * quotes doubled (`quote_record_delimiter` is set explicitly: csv-stringify turns it off once a
 * record delimiter is given, which would leave a bare LF unquoted) — in UTF-8 with a byte-order
 * mark, without which Japanese Excel reads the file as Shift_JIS and garbles it. Every text cell
 * and header goes through the formula guard.
 */
export function tableToCsv(table: Table): string {
	return stringify(
		[table.columns.map((c) => guardFormula(c.header)), ...table.rows.map((r) => r.map(cellText))],
		{ bom: true, record_delimiter: 'windows', quote_record_delimiter: true, eof: true }
	);
}
