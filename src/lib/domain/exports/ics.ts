import type { Translate } from '../../i18n/translate';
import type { ExportBundle } from './bundle';
import { mergedLine } from './cards';
import { ownerLabel } from './table';

/**
 * iCalendar (RFC 5545) of the action list's due dates: one all-day event per action with a due
 * date. Text values are escaped (§3.3.11), lines end in CRLF and are folded at 75 octets
 * (§3.1) without splitting a UTF-8 sequence, so Japanese survives every calendar.
 */
export function icsText(s: string): string {
	return s
		.replace(/\\/gu, '\\\\')
		.replace(/;/gu, '\\;')
		.replace(/,/gu, '\\,')
		.replace(/\r\n|\r|\n/gu, '\\n');
}

/** Octets of one code point in UTF-8. */
function utf8Length(ch: string): number {
	const cp = ch.codePointAt(0)!;
	return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

/** Folds one content line: at most 75 octets per physical line, continuations start with a space. */
export function foldLine(line: string): string {
	const parts: string[] = [];
	let current = '';
	let octets = 0;
	for (const ch of line) {
		const size = utf8Length(ch);
		// The first line holds 75 octets; continuation lines 74 after their leading space.
		const limit = parts.length === 0 ? 75 : 74;
		if (octets + size > limit) {
			parts.push(current);
			current = '';
			octets = 0;
		}
		current += ch;
		octets += size;
	}
	parts.push(current);
	return parts.join('\r\n ');
}

const stamp = (ms: number) =>
	new Date(ms)
		.toISOString()
		.replace(/[-:]/gu, '')
		.replace(/\.\d{3}/u, '');
const compactDate = (iso: string) => iso.replace(/-/gu, '');

function nextDay(iso: string): string {
	const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
	return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

export function actionsCalendar(b: ExportBundle, t: Translate, host: string): string {
	const lines = [
		'BEGIN:VCALENDAR',
		'VERSION:2.0',
		'PRODID:-//Yoriai//Action list//EN',
		'CALSCALE:GREGORIAN',
		'METHOD:PUBLISH',
		`X-WR-CALNAME:${icsText(`${b.board.title} — ${t('export.sheet.actions')}`)}`
	];
	for (const a of b.actions) {
		if (!a.due) continue;
		const description = [
			`${t('export.col.owner')}: ${ownerLabel(a.owner) || '—'}`,
			`${t('export.col.status')}: ${t(`action.status.${a.status}`)}`,
			`${t('export.col.decision')}: ${a.decision}`,
			...(a.notes ? [`${t('export.col.notes')}: ${a.notes}`] : []),
			...(a.labels.length > 0 ? [`${t('export.col.labels')}: ${a.labels.join('・')}`] : []),
			...a.mergedFrom.map((m) => mergedLine(m, t)),
			...a.sources.map(
				(s) => `${t('export.col.sources')}: ${s.reportTitle} / ${s.sectionLabel} 「${s.quote}」`
			)
		].join('\n');
		lines.push(
			'BEGIN:VEVENT',
			// Stable across exports, so re-importing updates the event instead of duplicating it.
			`UID:yoriai-${b.board.id}-action-${a.id}@${host}`,
			`DTSTAMP:${stamp(b.exportedAt)}`,
			`LAST-MODIFIED:${stamp(a.updatedAt)}`,
			`DTSTART;VALUE=DATE:${compactDate(a.due)}`,
			`DTEND;VALUE=DATE:${compactDate(nextDay(a.due))}`,
			`SUMMARY:${icsText(a.title)}`,
			`DESCRIPTION:${icsText(description)}`,
			`STATUS:${a.status === 'dropped' ? 'CANCELLED' : 'CONFIRMED'}`,
			'TRANSP:TRANSPARENT',
			'END:VEVENT'
		);
	}
	lines.push('END:VCALENDAR');
	return lines.map(foldLine).join('\r\n') + '\r\n';
}
