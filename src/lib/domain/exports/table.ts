import type { Provenance } from '../board/doc';
import { auditSentence, type AuditNames } from '../decisions/audit-text';
import { isOverdue } from '../decisions/due';
import type { ActionOwner, ActionView, AuditEntryView } from '../decisions/types';
import type { Translate } from '../../i18n/translate';
import type { VoteResults } from '../votes/results';
import type { ExportAction } from './bundle';
import { laneName, mergedLine, type ExportLane } from './cards';

/** A date without a time or zone (YYYY-MM-DD): spreadsheets get a real date cell. */
export interface DateOnly {
	date: string;
}

export type Cell = string | number | DateOnly | null;

export interface Column {
	header: string;
	/** Width in characters, for XLSX. */
	width: number;
	/** Long text wraps in XLSX. */
	wrap?: boolean;
}

/** One sheet of an export: the same rows go to CSV, XLSX and the print page. */
export interface Table {
	name: string;
	columns: Column[];
	rows: Cell[][];
}

export function isDateOnly(c: Cell): c is DateOnly {
	return typeof c === 'object' && c !== null;
}

export function ownerLabel(owner: ActionOwner): string {
	if (owner.kind === 'none') return '';
	if (owner.kind === 'organisation') return owner.name;
	return owner.organisation ? `${owner.name}（${owner.organisation}）` : owner.name;
}

/** An action's status in words, with "overdue" where it is (a colour alone would not say it). */
export function actionStatusText(
	a: { due: string | null; status: ActionView['status'] },
	today: string,
	t: Translate
): string {
	const status = t(`action.status.${a.status}`);
	return isOverdue(a, today) ? t('action.status.overdue', { status }) : status;
}

/** Several sources in one cell: numbered lines, so report, section and quote line up. */
function numbered(sources: readonly Provenance[], pick: (s: Provenance) => string): string {
	if (sources.length === 1) return pick(sources[0]!);
	return sources.map((s, i) => `[${i + 1}] ${pick(s)}`).join('\n');
}

const utc = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

/** The agreed action list: one row per action, each carrying the report, section and quote. */
export function actionTable(actions: readonly ExportAction[], today: string, t: Translate): Table {
	return {
		name: t('export.sheet.actions'),
		columns: [
			{ header: t('export.col.id'), width: 6 },
			{ header: t('export.col.action'), width: 40, wrap: true },
			{ header: t('export.col.owner'), width: 24 },
			{ header: t('export.col.due'), width: 12 },
			{ header: t('export.col.status'), width: 10 },
			{ header: t('export.col.notes'), width: 30, wrap: true },
			{ header: t('export.col.decision'), width: 40, wrap: true },
			{ header: t('export.col.cards'), width: 36, wrap: true },
			{ header: t('export.col.labels'), width: 16, wrap: true },
			{ header: t('export.col.mergedFrom'), width: 40, wrap: true },
			{ header: t('export.col.report'), width: 36, wrap: true },
			{ header: t('export.col.section'), width: 30, wrap: true },
			{ header: t('export.col.quote'), width: 60, wrap: true },
			{ header: t('export.col.item'), width: 16, wrap: true },
			{ header: t('export.col.updated'), width: 18 }
		],
		rows: actions.map((a) => [
			a.id,
			a.title,
			ownerLabel(a.owner),
			a.due ? { date: a.due } : null,
			actionStatusText(a, today, t),
			a.notes,
			a.decision,
			a.cards.map((c) => c.title).join('\n'),
			a.labels.join('\n'),
			a.mergedFrom.map((m) => mergedLine(m, t)).join('\n'),
			numbered(a.sources, (s) => s.reportTitle),
			numbered(a.sources, (s) => s.sectionLabel),
			numbered(a.sources, (s) => s.quote),
			numbered(a.sources, (s) => s.itemId),
			utc(a.updatedAt)
		])
	};
}

/**
 * The cards on the board now, lane by lane: one row per card with its labels, the cards merged
 * into it (who wrote what) and its sources.
 */
export function cardTable(lanes: readonly ExportLane[], t: Translate): Table {
	return {
		name: t('export.sheet.cards'),
		columns: [
			{ header: t('export.col.lane'), width: 14 },
			{ header: t('export.col.card'), width: 40, wrap: true },
			{ header: t('export.col.notes'), width: 40, wrap: true },
			{ header: t('export.col.kind'), width: 8 },
			{ header: t('export.col.author'), width: 16 },
			{ header: t('export.col.labels'), width: 16, wrap: true },
			{ header: t('export.col.mergedFrom'), width: 40, wrap: true },
			{ header: t('export.col.report'), width: 36, wrap: true },
			{ header: t('export.col.section'), width: 30, wrap: true },
			{ header: t('export.col.quote'), width: 60, wrap: true },
			{ header: t('export.col.item'), width: 16, wrap: true }
		],
		rows: lanes.flatMap((l) =>
			l.cards.map((c) => [
				laneName(l, t),
				c.title,
				c.note,
				t(`board.card.kind.${c.kind}`),
				c.author ?? '',
				c.labels.join('\n'),
				c.mergedFrom.map((m) => mergedLine(m, t)).join('\n'),
				numbered(c.sources, (s) => s.reportTitle),
				numbered(c.sources, (s) => s.sectionLabel),
				numbered(c.sources, (s) => s.quote),
				numbered(c.sources, (s) => s.itemId)
			])
		)
	};
}

const pct = (x: number) => Math.round(x * 1000) / 10;
const round2 = (x: number) => Math.round(x * 100) / 100;

/** A revealed session's published results: one row per card, sector groups as columns. */
export function resultsTable(
	r: VoteResults,
	t: Translate,
	groupLabel: (key: string) => string
): Table {
	const score = r.method === 'score';
	return {
		name: t('export.sheet.results'),
		columns: [
			{ header: t('results.col.rank'), width: 6 },
			{ header: t('results.col.card'), width: 48, wrap: true },
			{ header: t(`results.total.${r.method}`), width: 12 },
			{ header: t('results.col.supporters'), width: 10 },
			{ header: t('results.col.support'), width: 10 },
			...(score
				? [
						{ header: t('results.col.impact'), width: 10 },
						{ header: t('results.col.feasibility'), width: 10 }
					]
				: []),
			{ header: t('results.col.consensus'), width: 12 },
			{ header: t('results.col.division'), width: 12 },
			{ header: t('results.col.stale'), width: 12 },
			...r.groups.map((g) => ({
				header: t('results.col.group', { group: groupLabel(g.key), n: g.voters }),
				width: 16
			}))
		],
		rows: r.cards.map((c) => [
			c.rank,
			c.title,
			round2(c.total),
			c.supporters,
			pct(c.support),
			...(score
				? [
						c.impact === null ? null : round2(c.impact),
						c.feasibility === null ? null : round2(c.feasibility)
					]
				: []),
			c.consensus === null ? null : pct(c.consensus),
			c.division === null ? null : pct(c.division),
			c.staleVotes,
			...c.bySector.map(pct)
		])
	};
}

/** The audit log, newest first. */
export function auditTable(
	entries: readonly AuditEntryView[],
	t: Translate,
	names: AuditNames
): Table {
	return {
		name: t('export.sheet.audit'),
		columns: [
			{ header: t('audit.col.at'), width: 18 },
			{ header: t('audit.col.actor'), width: 20 },
			{ header: t('audit.col.kind'), width: 20 },
			{ header: t('audit.col.subject'), width: 14 },
			{ header: t('audit.col.detail'), width: 60, wrap: true },
			// The entry as stored, for anyone who processes the log: ids rather than words.
			{ header: t('audit.col.record'), width: 40, wrap: true }
		],
		rows: entries.map((e) => [
			utc(e.at),
			e.actorId === null ? t('audit.actor.automatic') : e.actorName,
			t(`audit.kind.${e.kind}`),
			e.subject,
			auditSentence(e, t, names),
			JSON.stringify(e.detail)
		])
	};
}
