import type { MessageKey } from '../../i18n/messages';
import type { Translate } from '../../i18n/translate';
import { ACTION_STATUSES, type AuditEntryView } from './types';

/**
 * The audit log in the reader's language: a sentence per stored entry ("状態を「未着手」から
 * 「進行中」に変更"), built from the entry's kind and detail as recorded — the stored entries stay
 * plain data (and the CSV keeps them as JSON beside the sentence). Pure: names of people the
 * entries point to come in `names`, looked up by the caller.
 */
export type AuditNames = ReadonlyMap<number, string>;

const ROLES = ['facilitator', 'participant', 'observer'] as const;
const METHODS = ['dots', 'ranking', 'score', 'approval', 'points'] as const;

const str = (v: unknown): string =>
	typeof v === 'string' || typeof v === 'number' ? String(v) : '';
const pair = (v: unknown): [unknown, unknown] | null =>
	Array.isArray(v) && v.length === 2 ? [v[0], v[1]] : null;

function oneOf<T extends string>(list: readonly T[], v: unknown): T | null {
	return list.find((x) => x === v) ?? null;
}

/** A stored value in words: a status, a role, a person, or "none" for an empty one. */
function status(v: unknown, t: Translate): string {
	const s = oneOf(ACTION_STATUSES, v);
	return s ? t(`action.status.${s}`) : str(v);
}
function role(v: unknown, t: Translate): string {
	const r = oneOf(ROLES, v);
	return r ? t(`role.${r}`) : str(v);
}
function ownerName(v: unknown, t: Translate, names: AuditNames): string {
	if (typeof v === 'number') return names.get(v) ?? t('audit.text.member', { id: v });
	return str(v) || t('audit.text.none');
}
const dateOrNone = (v: unknown, t: Translate) => str(v) || t('audit.text.none');

/** Who or what an entry is about, in words ("鈴木 次郎", "アクション #3"). */
export function auditSubject(e: AuditEntryView, t: Translate, names: AuditNames): string {
	const m = /^(user|action|decision|vote):(\d+)$/u.exec(e.subject);
	if (!m) return e.subject;
	const id = Number(m[2]);
	if (m[1] === 'user') return names.get(id) ?? t('audit.text.member', { id });
	return t(`audit.subject.${m[1] as 'action' | 'decision' | 'vote'}`, { id });
}

/** What changed, as sentences joined into one line. */
export function auditSentence(e: AuditEntryView, t: Translate, names: AuditNames): string {
	const d = e.detail;
	const parts: string[] = [];
	const change = (key: MessageKey, field: unknown, show: (v: unknown) => string) => {
		const p = pair(field);
		if (!p || JSON.stringify(p[0]) === JSON.stringify(p[1])) return;
		parts.push(t(key, { from: show(p[0]), to: show(p[1]) }));
	};
	switch (e.kind) {
		case 'vote_opened': {
			const method = oneOf(METHODS, d.method);
			parts.push(
				t('audit.text.vote_opened', {
					title: str(d.title),
					method: method ? t(`vote.method.${method}`) : str(d.method),
					cards: Number(d.cards) || 0
				})
			);
			break;
		}
		case 'vote_closed':
			parts.push(
				t(d.deadline ? 'audit.text.vote_closed_deadline' : 'audit.text.vote_closed', {
					title: str(d.title),
					ballots: Number(d.ballots) || 0
				})
			);
			break;
		case 'vote_revealed':
			parts.push(t('audit.text.vote_revealed', { title: str(d.title) }));
			break;
		case 'decision_recorded':
		case 'decision_revised':
			parts.push(
				t('audit.text.decision', { revision: Number(d.revision) || 1, text: str(d.text) })
			);
			break;
		case 'action_created':
			parts.push(
				t('audit.text.action_created', {
					title: str(d.title),
					decision: str(d.decision),
					due: dateOrNone(d.due, t)
				})
			);
			break;
		case 'action_updated':
			change('audit.text.title', d.title, str);
			change('audit.text.status', d.status, (v) => status(v, t));
			change('audit.text.due', d.due, (v) => dateOrNone(v, t));
			change('audit.text.owner', d.owner, (v) => ownerName(v, t, names));
			if (typeof d.notes === 'string') parts.push(t('audit.text.notes', { notes: d.notes }));
			if (parts.length === 0) parts.push(t('audit.text.unchanged'));
			break;
		case 'member_added':
			parts.push(
				t(d.via === 'invite' ? 'audit.text.member_invited' : 'audit.text.member_added', {
					role: role(d.role, t)
				})
			);
			break;
		case 'member_role_changed':
			parts.push(t('audit.text.role', { role: role(d.role, t) }));
			break;
		case 'member_removed':
			parts.push(t('audit.text.removed'));
			break;
		case 'board_archived':
		case 'board_restored':
			break;
	}
	if (typeof d.ballotsWithdrawn === 'number')
		parts.push(t('audit.text.withdrawn', { count: d.ballotsWithdrawn }));
	return parts.join(t('audit.text.separator'));
}

/** The user ids an entry names (its subject, an owner before or after), for the name lookup. */
export function auditUserIds(e: AuditEntryView): number[] {
	const ids: number[] = [];
	const m = /^user:(\d+)$/u.exec(e.subject);
	if (m) ids.push(Number(m[1]));
	const owner = pair(e.detail.owner);
	for (const v of owner ?? []) if (typeof v === 'number') ids.push(v);
	return ids;
}
