import { describe, expect, test } from 'vitest';
import {
	auditSentence,
	auditSubject,
	auditUserIds
} from '../../src/lib/domain/decisions/audit-text';
import type { AuditEntryView } from '../../src/lib/domain/decisions/types';
import { translator } from '../../src/lib/i18n/translate';

const ja = translator('ja');
const en = translator('en');
const names = new Map([
	[7, '鈴木 次郎'],
	[9, '佐藤 花子']
]);
const entry = (over: Partial<AuditEntryView>): AuditEntryView => ({
	id: 1,
	at: 0,
	actorId: 1,
	actorName: '司会',
	kind: 'action_updated',
	subject: 'action:3',
	detail: {},
	...over
});

describe('audit log sentences', () => {
	test('a status change reads as a sentence in Japanese and English, not field names', () => {
		const e = entry({ detail: { status: ['open', 'in_progress'], notes: '着手しました' } });
		expect(auditSentence(e, ja, names)).toBe(
			'状態を「未着手」から「進行中」に変更。メモを「着手しました」に更新'
		);
		expect(auditSentence(e, en, names)).toBe(
			'Status changed from “Open” to “In progress”; Notes set to “着手しました”'
		);
		expect(auditSubject(e, ja, names)).toBe('アクション #3');
		expect(auditSubject(e, en, names)).toBe('Action #3');
	});

	test('an edit names only what changed, owners by name, empty dates as none', () => {
		const e = entry({
			detail: {
				title: ['工程表', '工程表'],
				due: [null, '2026-12-24'],
				owner: [7, 9]
			}
		});
		expect(auditUserIds(e)).toEqual([7, 9]);
		expect(auditSentence(e, ja, names)).toBe(
			'期限を「なし」から「2026-12-24」に変更。担当者を「鈴木 次郎」から「佐藤 花子」に変更'
		);
		expect(auditSentence(e, en, new Map())).toBe(
			'Due date changed from “none” to “2026-12-24”; Owner changed from “member #7” to “member #9”'
		);
		expect(auditSentence(entry({ detail: { title: ['a', 'a'] } }), ja, names)).toBe('変更なし');
	});

	test('votes, decisions and membership', () => {
		expect(
			auditSentence(
				entry({ kind: 'vote_opened', detail: { title: '優先度', method: 'dots', cards: 12 } }),
				ja,
				names
			)
		).toBe('「優先度」をドット投票で開始（カード 12 枚）');
		expect(
			auditSentence(
				entry({ kind: 'vote_closed', detail: { title: '優先度', ballots: 1, deadline: true } }),
				en,
				names
			)
		).toBe('“優先度” closed at its deadline (1 ballot)');
		expect(
			auditSentence(
				entry({ kind: 'decision_revised', detail: { revision: 2, text: '人材育成' } }),
				ja,
				names
			)
		).toBe('第 2 版:「人材育成」');
		const joined = entry({
			kind: 'member_added',
			subject: 'user:7',
			detail: { role: 'participant', via: 'invite' }
		});
		expect(auditSubject(joined, ja, names)).toBe('鈴木 次郎');
		expect(auditSentence(joined, ja, names)).toBe('招待リンクから参加者として参加');
		expect(
			auditSentence(
				entry({
					kind: 'member_role_changed',
					subject: 'user:9',
					detail: { role: 'observer', ballotsWithdrawn: 2 }
				}),
				en,
				names
			)
		).toBe('Role changed to “Observer”; ballots withdrawn from 2 open votes');
	});
});
