import type { Translate } from '../../i18n/translate';
import type { MergedRef } from '../decisions/schemas';
import type { Provenance } from '../board/doc';
import { japanDate } from '../decisions/due';
import type { ExportBundle } from './bundle';
import { laneName } from './cards';
import { actionStatusText, ownerLabel } from './table';

/**
 * EXP-04: user text in Markdown stays text. Everywhere: backslash, backtick, emphasis, brackets,
 * angle brackets (no raw HTML, no autolinks), pipes, tildes, dollar signs and ampersands (no
 * entities such as `&#106;avascript:`) are backslash-escaped — with brackets and angle brackets
 * escaped no link can form, so no `javascript:` or `data:` URL can become one. At the start of a
 * line, what would open a heading, quote, list, rule or code block is escaped or dropped.
 */
const INLINE = /[\\`*_[\]<>|~$&]/gu;
const LINE_START = /^(#|>|[-+=]|\d+[.)])/u;

function escapeLine(line: string): string {
	const escaped = line.trimStart().replace(INLINE, '\\$&');
	return escaped.replace(LINE_START, (m) =>
		/^\d/u.test(m) ? `${m.slice(0, -1)}\\${m.slice(-1)}` : `\\${m}`
	);
}

/** Text on one line (headings, list items): line breaks become spaces. */
export function mdInline(s: string): string {
	return escapeLine(s.replace(/\s*[\r\n]+\s*/gu, ' '));
}

/** A paragraph: each line escaped, joined with hard line breaks. */
export function mdParagraph(s: string): string {
	return s
		.split(/\r\n|\r|\n/u)
		.map(escapeLine)
		.filter((l) => l !== '')
		.join('\\\n');
}

/** A table cell: one line, pipes escaped (GFM reads `\|` as a literal pipe). */
export function mdCell(s: string): string {
	return mdInline(s) || ' ';
}

const sourceLine = (s: Provenance) =>
	`${mdInline(s.reportTitle)} / ${mdInline(s.sectionLabel)}: 「${mdInline(s.quote)}」`;

/** A merged card under the card it went into: its wording and who wrote it. */
function mergedItem(m: MergedRef, t: Translate): string {
	const who = m.author ? t('export.merged.by', { name: mdInline(m.author) }) : '';
	const note = m.note.trim() ? `: ${mdInline(m.note)}` : '';
	const by = m.mergedBy ? ` — ${t('export.merged.mergedBy', { name: mdInline(m.mergedBy) })}` : '';
	return `  - ${t('export.merged.from')}: ${mdInline(m.title)}${who}${note}${by}`;
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const pct = (x: number) => `${Math.round(x * 100)}%`;

/**
 * Minutes: board, date, participants by sector (names of those who agreed), decisions with
 * rationale and dissent, actions, revealed votes with their published results, and the board by
 * lane — every card with note, labels, sources, merges and comments.
 */
export function minutesMarkdown(b: ExportBundle, t: Translate): string {
	const out: string[] = [`# ${mdInline(b.board.title)}`, ''];
	const today = japanDate(b.exportedAt);
	if (b.board.purpose) out.push(mdParagraph(b.board.purpose), '');
	out.push(
		`- ${t('export.md.date')}: ${b.board.workshopDate ?? day(b.exportedAt)}`,
		`- ${t('export.md.exported')}: ${new Date(b.exportedAt).toISOString()}`,
		''
	);

	out.push(`## ${t('export.md.participants')}`, '');
	if (b.participants.length === 0) out.push(t('export.md.none'), '');
	else {
		for (const p of b.participants)
			out.push(
				`- ${t(`sector.${p.sector as 'other'}`)}: ${p.count}${p.names.length > 0 ? `（${p.names.map(mdInline).join('、')}）` : ''}`
			);
		out.push('');
	}

	out.push(`## ${t('export.md.decisions')}`, '');
	if (b.decisions.length === 0) out.push(t('export.md.none'), '');
	b.decisions.forEach((d, i) => {
		const r = d.revisions[0]!;
		out.push(`### ${t('export.md.decision', { n: i + 1, revision: r.revision })}`, '');
		out.push(mdParagraph(r.text), '');
		if (r.rationale) out.push(`**${t('decision.rationale')}:**\\`, mdParagraph(r.rationale), '');
		if (r.dissent.length > 0) {
			out.push(`**${t('decision.dissent')}:**`, '');
			for (const x of r.dissent)
				out.push(
					`- ${x.sector ? t(`sector.${x.sector}`) : t('decision.dissent.noSector')}: ${mdInline(x.text)}`
				);
			out.push('');
		}
		if (r.vote) {
			const v = r.vote.results;
			out.push(
				`**${t('decision.vote')}:** ${mdInline(v.title)} — ${t(`vote.method.${v.method}`)}, ${t('results.ballots', { count: v.ballots })}`,
				''
			);
			for (const c of v.cards.slice(0, 5))
				// A bullet, not an ordered list: Markdown renumbers "1. 1. 3." and would hide a tie.
				out.push(
					`- ${t('results.rankShort', { rank: c.rank })} ${mdInline(c.title)} — ${t(`results.total.${v.method}`)} ${Math.round(c.total * 100) / 100}${c.consensus === null ? '' : `, ${t('results.col.consensus')} ${pct(c.consensus)}`}`
				);
			out.push('');
		}
		if (r.cards.length > 0) {
			out.push(`**${t('decision.cards')}:**`, '');
			for (const c of r.cards) {
				out.push(`- ${mdInline(c.title)}`);
				for (const m of c.mergedFrom ?? []) out.push(mergedItem(m, t));
				for (const s of c.sources) out.push(`  - ${sourceLine(s)}`);
			}
			out.push('');
		}
		out.push(
			`*${t('decision.recorded', { name: mdInline(r.recordedBy), at: new Date(r.recordedAt).toISOString().slice(0, 16).replace('T', ' ') })}*`,
			''
		);
	});

	out.push(`## ${t('export.md.actions')}`, '');
	if (b.actions.length === 0) out.push(t('export.md.none'), '');
	else {
		const head = [
			t('export.col.id'),
			t('export.col.action'),
			t('export.col.owner'),
			t('export.col.due'),
			t('export.col.status'),
			t('export.col.sources')
		];
		out.push(`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`);
		for (const a of b.actions) {
			const sources = a.sources.map(sourceLine).join(' ／ ');
			out.push(
				`| ${[
					String(a.id),
					mdCell(a.title),
					mdCell(ownerLabel(a.owner)),
					a.due ?? ' ',
					actionStatusText(a, today, t),
					sources || ' '
				].join(' | ')} |`
			);
		}
		out.push('');
	}

	if (b.votes.length > 0) {
		out.push(`## ${t('print.votes')}`, '');
		for (const v of b.votes) {
			out.push(
				`### ${mdInline(v.title)}`,
				'',
				`${t(`vote.method.${v.method}`)}, ${t('results.ballots', { count: v.ballots })}`,
				''
			);
			const head = [
				t('results.col.rank'),
				t('results.col.card'),
				t(`results.total.${v.method}`),
				t('results.col.consensus')
			];
			out.push(`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`);
			for (const c of v.cards)
				out.push(
					`| ${[
						String(c.rank),
						mdCell(c.title),
						String(Math.round(c.total * 100) / 100),
						c.consensus === null ? '—' : pct(c.consensus)
					].join(' | ')} |`
				);
			out.push('');
		}
	}

	if (b.lanes.length > 0) {
		out.push(`## ${t('export.md.board')}`, '');
		for (const lane of b.lanes) {
			out.push(`### ${mdInline(laneName(lane, t))} (${lane.cards.length})`, '');
			if (lane.cards.length === 0) out.push(t('export.md.none'), '');
			else {
				for (const c of lane.cards) {
					const labels = c.labels.length > 0 ? ` 〔${c.labels.map(mdInline).join('・')}〕` : '';
					const who = c.author ? t('export.merged.by', { name: mdInline(c.author) }) : '';
					out.push(`- ${mdInline(c.title)}${labels}${who}`);
					if (c.note.trim()) out.push(`  - ${t('export.col.notes')}: ${mdInline(c.note)}`);
					for (const m of c.mergedFrom) out.push(mergedItem(m, t));
					for (const s of c.sources) out.push(`  - ${sourceLine(s)}`);
					for (const m of c.comments)
						out.push(
							`  - ${t('export.md.comment', { name: mdInline(m.author) })}: ${mdInline(m.text)}`
						);
				}
				out.push('');
			}
		}
	}
	return out.join('\n');
}
