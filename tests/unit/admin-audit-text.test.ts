import { describe, expect, test } from 'vitest';
import { adminAuditSentence, adminAuditSubject } from '../../src/lib/domain/admin/audit-text';
import { translator } from '../../src/lib/i18n/translate';

const ja = translator('ja');
const en = translator('en');

describe('the instance audit log in words', () => {
	test('subjects name the person or the setting, never the stored key', () => {
		const reset = {
			kind: 'reset_issued' as const,
			subject: 'user:12',
			detail: { username: 'sato' }
		};
		expect(adminAuditSubject(reset, ja)).toBe('@sato');
		expect(adminAuditSubject({ ...reset, detail: {} }, ja)).toBe('利用者 #12');
		expect(adminAuditSubject({ ...reset, detail: {} }, en)).toBe('User #12');
		const policy = { kind: 'registration_policy' as const, subject: 'registration', detail: {} };
		expect(adminAuditSubject(policy, ja)).toBe('アカウントの登録');
		expect(adminAuditSubject({ ...policy, subject: 'board_creation' }, en)).toBe('Board creation');
	});

	test('a policy change reads as from → to in the policies’ own words', () => {
		const e = {
			kind: 'registration_policy' as const,
			subject: 'registration',
			detail: { from: 'open', to: 'invite' }
		};
		expect(adminAuditSentence(e, ja)).toBe(
			'「誰でも登録できる」から「ボードの招待リンクからのみ登録できる」に変更'
		);
		expect(adminAuditSentence(e, en)).toBe(
			'from “Anyone may register” to “Only through a board’s invite link”'
		);
		const boards = {
			kind: 'board_policy' as const,
			subject: 'board_creation',
			detail: { from: 'any', to: 'admins' }
		};
		expect(adminAuditSentence(boards, ja)).toBe('「ログインしている全員」から「管理者のみ」に変更');
	});

	test('counts and files in words; kinds that say it all add nothing', () => {
		expect(
			adminAuditSentence(
				{ kind: 'user_disabled', subject: 'user:3', detail: { username: 'x', sessions: 2 } },
				en
			)
		).toBe('2 signed-in sessions ended');
		expect(
			adminAuditSentence(
				{ kind: 'account_deleted', subject: 'user:3', detail: { boards: 1, withdrawnBallots: 1 } },
				en
			)
		).toBe('left 1 board; 1 ballot withdrawn from open votes');
		expect(
			adminAuditSentence(
				{
					kind: 'backup_requested',
					subject: 'backup',
					detail: { file: '/srv/backups/yoriai-20261203-091500-123.db', bytes: 2048 }
				},
				ja
			)
		).toBe('yoriai-20261203-091500-123.db（2 KiB、検証済み）');
		expect(
			adminAuditSentence(
				{ kind: 'admin_granted', subject: 'user:3', detail: { username: 'x' } },
				ja
			)
		).toBe('');
		// Whatever a stored detail holds, a sentence comes out (no throw on a malformed row).
		expect(
			adminAuditSentence(
				{ kind: 'user_disabled', subject: 'user:3', detail: { sessions: 'x' } },
				ja
			)
		).toBe('ログイン中のセッション 0 件を終了');
	});
});
