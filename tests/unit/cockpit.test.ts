import { describe, expect, test } from 'vitest';
import {
	pauseTimer,
	startTimer,
	timerState,
	TIMER_UP_SHOWN_MS
} from '../../src/lib/domain/board/facilitation';
import { PRESENCE_TTL_MS } from '../../src/lib/domain/board/presence';
import { listPresence, touchPresence } from '../../src/lib/server/boards/presence';

describe('the timer ends for everyone, and its red state goes', () => {
	test('running, then "time is up" for a while, then nothing', () => {
		const t = startTimer(60_000, 1_000);
		expect(timerState(t, 1_000)).toBe('running');
		expect(timerState(t, 60_999)).toBe('running');
		expect(timerState(t, 61_000)).toBe('up');
		expect(timerState(t, 61_000 + TIMER_UP_SHOWN_MS - 1)).toBe('up');
		expect(timerState(t, 61_000 + TIMER_UP_SHOWN_MS)).toBe('none');
		expect(timerState(pauseTimer(t, 31_000), 500_000)).toBe('paused');
		expect(timerState(null, 0)).toBe('none');
	});
});

describe('presence registry', () => {
	test('one place per person (the latest), lapsing after the TTL, per board', () => {
		const app = {};
		const at = 1_000_000;
		const who = { name: '佐藤', sector: 'industry', role: 'participant' as const };
		touchPresence(app, 'b1', { userId: 1, ...who, place: 'board', at });
		touchPresence(app, 'b1', { userId: 1, ...who, place: 'ballot', at: at + 10 });
		touchPresence(app, 'b1', { userId: 2, ...who, name: '鈴木', place: 'decisions', at });
		touchPresence(app, 'b2', { userId: 3, ...who, place: 'board', at });
		expect(listPresence(app, 'b1', at + 20).map((e) => [e.userId, e.place])).toEqual([
			[1, 'ballot'],
			[2, 'decisions']
		]);
		expect(listPresence(app, 'b1', at + PRESENCE_TTL_MS + 5).map((e) => e.userId)).toEqual([1]);
		expect(listPresence(app, 'b1', at + PRESENCE_TTL_MS + 20)).toEqual([]);
		expect(listPresence(app, 'b2', at)).toHaveLength(1);
	});
});
