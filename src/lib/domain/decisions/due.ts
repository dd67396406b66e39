import type { ActionStatus } from './types';

/**
 * Due dates are calendar days in Japan, where the workshops take place: "today" is the date in
 * Asia/Tokyo whatever the server's or the browser's zone, so a date is refused as past, and an
 * action shown as overdue, the same way for everyone.
 */
export const DUE_TIME_ZONE = 'Asia/Tokyo';

const dayFormat = new Intl.DateTimeFormat('en-CA', {
	timeZone: DUE_TIME_ZONE,
	year: 'numeric',
	month: '2-digit',
	day: '2-digit'
});

/** The calendar day (YYYY-MM-DD) in Japan at `now`. */
export function japanDate(now: number): string {
	return dayFormat.format(now);
}

/** Past its due date and still to do: done and dropped actions are never overdue. */
export function isOverdue(a: { due: string | null; status: ActionStatus }, today: string): boolean {
	return a.due !== null && a.due < today && (a.status === 'open' || a.status === 'in_progress');
}
