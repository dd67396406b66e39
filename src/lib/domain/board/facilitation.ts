import * as Y from 'yjs';
import type { BoardRole } from './roles';
import { ROOTS } from './schema';

/**
 * How a facilitator runs a board: its phase, a lock, a shared timer and a spotlight. The server
 * keeps the authoritative copy in SQL and mirrors it into the board document (root map
 * `facilitation`, written only by the server) so every open board sees changes at once.
 */
export const PHASES = ['prepare', 'write', 'sort', 'group', 'vote', 'decide', 'wrapup'] as const;
export type Phase = (typeof PHASES)[number];

/** What a change to the board document does, as far as phase rules are concerned. */
export type ChangeKind =
	'add_card' | 'edit_card' | 'move_card' | 'merge_card' | 'comment' | 'lanes';

/**
 * What participants may do in each phase; facilitators may always do everything. The point of
 * each rule: private writing keeps ideas out of the shared board until revealed; once voting
 * starts, wording and placement are frozen so every ballot was cast on what is still there.
 */
const PARTICIPANT_RULES: Record<Phase, ReadonlySet<ChangeKind>> = {
	prepare: new Set(['comment']),
	write: new Set(['comment']),
	sort: new Set(['add_card', 'edit_card', 'move_card', 'merge_card', 'comment']),
	group: new Set(['edit_card', 'move_card', 'merge_card', 'comment']),
	vote: new Set(['comment']),
	decide: new Set(['comment']),
	wrapup: new Set()
};

export interface Timer {
	/** The full length last set, for display ("10:00"). */
	durationMs: number;
	/** While running: when it ends, in server time. */
	endsAt: number | null;
	/** While paused or stopped: what is left. */
	remainingMs: number;
}

export interface Spotlight {
	kind: 'card' | 'lane';
	id: string;
	/** Increases with every new spotlight, so the same card spotlighted twice still moves people. */
	seq: number;
}

export interface Facilitation {
	phase: Phase;
	locked: boolean;
	timer: Timer | null;
	spotlight: Spotlight | null;
}

export const DEFAULT_FACILITATION: Facilitation = {
	phase: 'sort',
	locked: false,
	timer: null,
	spotlight: null
};

export function isPhase(value: unknown): value is Phase {
	return typeof value === 'string' && (PHASES as readonly string[]).includes(value);
}

/** Whether `role` may make a change of `kind` now. Observers never change anything. */
export function mayChange(
	f: Pick<Facilitation, 'phase' | 'locked'>,
	role: BoardRole,
	kind: ChangeKind
): boolean {
	if (role === 'facilitator') return true;
	if (role === 'observer' || f.locked) return false;
	return PARTICIPANT_RULES[f.phase].has(kind);
}

/** Whether participants write private drafts (kept in SQL until the facilitator reveals them). */
export function draftsOpen(f: Pick<Facilitation, 'phase' | 'locked'>): boolean {
	return f.phase === 'write' && !f.locked;
}

export function remainingMs(timer: Timer | null, now: number): number {
	if (!timer) return 0;
	if (timer.endsAt === null) return timer.remainingMs;
	return Math.max(0, timer.endsAt - now);
}

/** How long "time is up" stays shown, in red, after a timer ends (unless the facilitator clears it). */
export const TIMER_UP_SHOWN_MS = 60_000;

/**
 * What a timer shows now: counting, paused, "time is up" (for TIMER_UP_SHOWN_MS after it ended,
 * so everyone sees it end) or nothing once that has passed — the red state does not stay for good.
 */
export function timerState(timer: Timer | null, now: number): 'none' | 'running' | 'paused' | 'up' {
	if (!timer) return 'none';
	if (timer.endsAt === null) return timer.remainingMs > 0 ? 'paused' : 'none';
	if (now < timer.endsAt) return 'running';
	return now - timer.endsAt < TIMER_UP_SHOWN_MS ? 'up' : 'none';
}

export function startTimer(durationMs: number, now: number): Timer {
	return { durationMs, endsAt: now + durationMs, remainingMs: durationMs };
}

export function pauseTimer(t: Timer, now: number): Timer {
	return { ...t, endsAt: null, remainingMs: remainingMs(t, now) };
}

export function resumeTimer(t: Timer, now: number): Timer {
	return t.endsAt !== null ? t : { ...t, endsAt: now + t.remainingMs };
}

export function extendTimer(t: Timer, byMs: number, now: number): Timer {
	const left = remainingMs(t, now) + byMs;
	return {
		durationMs: t.durationMs + byMs,
		endsAt: t.endsAt === null ? null : now + left,
		remainingMs: left
	};
}

export function writeFacilitation(doc: Y.Doc, f: Facilitation): void {
	const m = doc.getMap<unknown>(ROOTS.facilitation);
	doc.transact(() => {
		m.set('phase', f.phase);
		m.set('locked', f.locked);
		m.set('timer', f.timer ? { ...f.timer } : null);
		m.set('spotlight', f.spotlight ? { ...f.spotlight } : null);
	});
}

/** The mirrored state, defensively read (the document is shared data). */
export function readFacilitation(doc: Y.Doc): Facilitation {
	const m = doc.getMap<unknown>(ROOTS.facilitation);
	const phase = m.get('phase');
	const timer = m.get('timer') as Partial<Timer> | null | undefined;
	const spot = m.get('spotlight') as Partial<Spotlight> | null | undefined;
	return {
		phase: isPhase(phase) ? phase : DEFAULT_FACILITATION.phase,
		locked: m.get('locked') === true,
		timer:
			timer && typeof timer.durationMs === 'number' && typeof timer.remainingMs === 'number'
				? {
						durationMs: timer.durationMs,
						remainingMs: timer.remainingMs,
						endsAt: typeof timer.endsAt === 'number' ? timer.endsAt : null
					}
				: null,
		spotlight:
			spot && (spot.kind === 'card' || spot.kind === 'lane') && typeof spot.id === 'string'
				? { kind: spot.kind, id: spot.id, seq: typeof spot.seq === 'number' ? spot.seq : 0 }
				: null
	};
}
