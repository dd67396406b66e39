import type { Translate } from '../../i18n/translate';
import { BOARD_POLICIES, REGISTRATION_POLICIES, type AdminAuditKind } from './policies';

/**
 * The instance audit log in the reader's language, as the board's audit log is
 * (domain/decisions/audit-text.ts): who or what an entry is about, and a sentence for what it
 * recorded ("「誰でも登録できる」から「招待リンクからのみ」に変更"), built from the stored kind and
 * detail. The stored rows stay plain data; the CSV keeps them as JSON beside the sentence.
 */
export interface AdminAuditView {
	kind: AdminAuditKind;
	subject: string;
	detail: Record<string, unknown>;
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const text = (v: unknown): string => (typeof v === 'string' ? v : '');

function oneOf<T extends string>(list: readonly T[], v: unknown): T | null {
	return list.find((x) => x === v) ?? null;
}

function policy(kind: 'registration_policy' | 'board_policy', v: unknown, t: Translate): string {
	if (kind === 'registration_policy') {
		const p = oneOf(REGISTRATION_POLICIES, v);
		return p ? t(`admin.policies.registration.${p}`) : text(v);
	}
	const p = oneOf(BOARD_POLICIES, v);
	return p ? t(`admin.policies.boards.${p}`) : text(v);
}

/** "@sato", "登録の方針", "バックアップ" — never the stored key ("user:12"). */
export function adminAuditSubject(e: AdminAuditView, t: Translate): string {
	if (e.subject === 'registration') return t('admin.policies.registration');
	if (e.subject === 'board_creation') return t('admin.policies.boards');
	if (e.subject === 'backup') return t('admin.audit.subject.backup');
	const user = /^user:(\d+)$/u.exec(e.subject);
	if (user) {
		const username = text(e.detail.username);
		return username ? `@${username}` : t('admin.audit.subject.user', { id: Number(user[1]) });
	}
	return e.subject;
}

/** What the entry recorded beyond its kind, or '' when the kind says it all. */
export function adminAuditSentence(e: AdminAuditView, t: Translate): string {
	const d = e.detail;
	switch (e.kind) {
		case 'user_disabled':
			return t('admin.audit.text.sessions_ended', { count: num(d.sessions) });
		case 'reset_issued':
			return typeof d.expiresAt === 'number'
				? t('admin.audit.text.reset_expires', { at: d.expiresAt })
				: '';
		case 'registration_policy':
		case 'board_policy':
			return t('admin.audit.text.policy', {
				from: policy(e.kind, d.from, t),
				to: policy(e.kind, d.to, t)
			});
		case 'backup_requested':
			return t('admin.audit.text.backup', {
				file: text(d.file).split(/[\\/]/u).pop() ?? '',
				kib: Math.ceil(num(d.bytes) / 1024)
			});
		case 'account_deleted':
			return t('admin.audit.text.deleted', {
				boards: num(d.boards),
				ballots: num(d.withdrawnBallots)
			});
		default:
			return '';
	}
}
