import { dropIndex, type Placement } from '$lib/domain/board/placement';

/** Mouse and pen: a press becomes a drag once it has moved this far (a shorter one is a click). */
const START_PX = 5;
/** Touch: a press held this long without moving picks the card up; moving sooner scrolls. */
const HOLD_MS = 300;
const TOUCH_SLOP_PX = 8;
/** Auto-scroll starts this close to a lane's or the board's edge, faster the closer. */
const EDGE_PX = 56;
const MAX_STEP_PX = 18;

export interface Ghost {
	title: string;
	x: number;
	y: number;
	width: number;
	/** Where in the card it was grabbed, so the card does not jump under the pointer. */
	dx: number;
	dy: number;
}

interface Pending {
	cardId: string;
	lane: string;
	index: number;
	title: string;
	pointerId: number;
	touch: boolean;
	x0: number;
	y0: number;
	rect: DOMRect;
	timer: ReturnType<typeof setTimeout> | null;
}

/**
 * Dragging cards with pointer events (mouse, pen, touch), written here rather than with
 * svelte-dnd-action: that library decides the drop lane by how much of the dragged card's box
 * overlaps a zone's box, so an empty or tall lane only accepts a card whose centre lands in a
 * small area. Here the lane under the pointer is the target — header, cards and empty space
 * alike — and the position is the first card whose middle is below the pointer. The card is
 * shown at that place while carried (the page renders `placement`), and written once on drop.
 */
export class PointerDrag {
	placement = $state<Placement | null>(null);
	ghost = $state<Ghost | null>(null);
	#pending: Pending | null = null;
	/** The element a touch started on: touch events keep going to it even once it is re-rendered. */
	#touchTarget: HTMLElement | null = null;
	#frame = 0;
	#x = 0;
	#y = 0;

	constructor(
		private readonly opts: {
			/** The scrolling row of lanes: drop targets are looked up inside it. */
			root: () => HTMLElement | null;
			ondrop: (p: Placement) => void;
		}
	) {}

	get active(): boolean {
		return this.ghost !== null;
	}

	/** pointerdown on a card. Controls inside the card (its menu button) opt out with data-no-drag. */
	down(e: PointerEvent, card: { id: string; lane: string; index: number; title: string }) {
		if (e.button !== 0 || this.#pending) return;
		if ((e.target as Element).closest('[data-no-drag]')) return;
		const el = e.currentTarget as HTMLElement;
		this.#pending = {
			cardId: card.id,
			lane: card.lane,
			index: card.index,
			title: card.title,
			pointerId: e.pointerId,
			touch: e.pointerType === 'touch',
			x0: e.clientX,
			y0: e.clientY,
			rect: el.getBoundingClientRect(),
			timer: null
		};
		this.#x = e.clientX;
		this.#y = e.clientY;
		if (this.#pending.touch) {
			this.#pending.timer = setTimeout(() => this.#begin(), HOLD_MS);
			// A touch is captured by the element it started on; the card is re-rendered in another
			// lane while carried, and events captured by a detached element never reach the window.
			const target = e.target as HTMLElement;
			if (target.hasPointerCapture(e.pointerId)) target.releasePointerCapture(e.pointerId);
			// Touch events, unlike pointer events, stay with that element: listen there too.
			this.#touchTarget = target;
			target.addEventListener('touchmove', this.#ontouchmove, { passive: false });
		}
		window.addEventListener('pointermove', this.#onmove);
		window.addEventListener('pointerup', this.#onup);
		window.addEventListener('pointercancel', this.#oncancel);
		window.addEventListener('keydown', this.#onkey);
		// Non-passive so that, once a held touch has picked the card up, moving drags instead of scrolling.
		window.addEventListener('touchmove', this.#ontouchmove, { passive: false });
		window.addEventListener('contextmenu', this.#oncontextmenu);
	}

	cancel(): void {
		this.#end(false);
	}

	#onmove = (e: PointerEvent) => {
		const p = this.#pending;
		if (!p || e.pointerId !== p.pointerId) return;
		this.#x = e.clientX;
		this.#y = e.clientY;
		if (this.ghost) {
			this.ghost = { ...this.ghost, x: e.clientX, y: e.clientY };
			this.#hitTest();
			return;
		}
		const moved = Math.hypot(e.clientX - p.x0, e.clientY - p.y0);
		// A touch that moves before the hold is a scroll: let the browser have it.
		if (p.touch) {
			if (moved > TOUCH_SLOP_PX) this.#end(false);
		} else if (moved > START_PX) this.#begin();
	};

	#onup = (e: PointerEvent) => {
		if (this.#pending && e.pointerId === this.#pending.pointerId) this.#end(true);
	};

	#oncancel = () => this.#end(false);

	#onkey = (e: KeyboardEvent) => {
		if (e.key === 'Escape' && this.ghost) {
			e.preventDefault();
			this.#end(false);
		}
	};

	#ontouchmove = (e: TouchEvent) => {
		if (this.ghost && e.cancelable) e.preventDefault();
	};

	#oncontextmenu = (e: Event) => {
		// A long press opens the context menu on touch screens; not while it picks up a card.
		if (this.#pending?.touch) e.preventDefault();
	};

	#begin() {
		const p = this.#pending;
		if (!p || this.ghost) return;
		if (p.timer) clearTimeout(p.timer);
		p.timer = null;
		this.placement = { cardId: p.cardId, lane: p.lane, index: p.index };
		this.ghost = {
			title: p.title,
			x: this.#x,
			y: this.#y,
			width: p.rect.width,
			dx: p.x0 - p.rect.left,
			dy: p.y0 - p.rect.top
		};
		navigator.vibrate?.(10);
		this.#frame = requestAnimationFrame(this.#tick);
	}

	/** The lane under the pointer and the position in it. */
	#hitTest() {
		const p = this.#pending;
		const root = this.opts.root();
		if (!p || !root) return;
		const laneEl = document
			.elementFromPoint(this.#x, this.#y)
			?.closest<HTMLElement>('[data-lane-id]');
		if (!laneEl || !root.contains(laneEl)) return;
		const lane = laneEl.dataset.laneId!;
		let index: number;
		if (laneEl.dataset.collapsed === 'true') {
			index = Number(laneEl.dataset.count ?? 0);
		} else {
			const mids: number[] = [];
			for (const c of laneEl.querySelectorAll<HTMLElement>('article[data-card-id]')) {
				if (c.dataset.cardId === p.cardId) continue;
				const r = c.getBoundingClientRect();
				mids.push(r.top + r.height / 2);
			}
			index = dropIndex(mids, this.#y);
		}
		const now = this.placement;
		if (now && now.lane === lane && now.index === index) return;
		this.placement = { cardId: p.cardId, lane, index };
	}

	/** Auto-scroll near the edges of the lane under the pointer and of the row of lanes. */
	#tick = () => {
		if (!this.ghost) return;
		const root = this.opts.root();
		const laneEl = document
			.elementFromPoint(this.#x, this.#y)
			?.closest<HTMLElement>('[data-lane-id]');
		const list = laneEl?.querySelector<HTMLElement>('[data-lane-scroll]');
		let scrolled = false;
		if (list) scrolled = scrollNear(list, this.#y, 'y') || scrolled;
		if (root) scrolled = scrollNear(root, this.#x, 'x') || scrolled;
		if (scrolled) this.#hitTest();
		this.#frame = requestAnimationFrame(this.#tick);
	};

	#end(drop: boolean) {
		const p = this.#pending;
		if (!p) return;
		if (p.timer) clearTimeout(p.timer);
		const placed = this.placement;
		const wasDragging = this.ghost !== null;
		this.#pending = null;
		this.placement = null;
		this.ghost = null;
		cancelAnimationFrame(this.#frame);
		window.removeEventListener('pointermove', this.#onmove);
		window.removeEventListener('pointerup', this.#onup);
		window.removeEventListener('pointercancel', this.#oncancel);
		window.removeEventListener('keydown', this.#onkey);
		window.removeEventListener('touchmove', this.#ontouchmove);
		this.#touchTarget?.removeEventListener('touchmove', this.#ontouchmove);
		this.#touchTarget = null;
		window.removeEventListener('contextmenu', this.#oncontextmenu);
		if (!wasDragging) return;
		// The click that follows the pointerup of a drag must not open the card.
		const swallow = (e: Event) => {
			e.stopPropagation();
			e.preventDefault();
		};
		window.addEventListener('click', swallow, { capture: true, once: true });
		setTimeout(() => window.removeEventListener('click', swallow, { capture: true }), 0);
		if (drop && placed) this.opts.ondrop(placed);
	}
}

function scrollNear(el: HTMLElement, at: number, axis: 'x' | 'y'): boolean {
	const r = el.getBoundingClientRect();
	const [start, end] = axis === 'y' ? [r.top, r.bottom] : [r.left, r.right];
	if (at < start || at > end) return false;
	let step = 0;
	if (at < start + EDGE_PX) step = -Math.ceil(((start + EDGE_PX - at) / EDGE_PX) * MAX_STEP_PX);
	else if (at > end - EDGE_PX) step = Math.ceil(((at - (end - EDGE_PX)) / EDGE_PX) * MAX_STEP_PX);
	if (step === 0) return false;
	const before = axis === 'y' ? el.scrollTop : el.scrollLeft;
	if (axis === 'y') el.scrollTop += step;
	else el.scrollLeft += step;
	return (axis === 'y' ? el.scrollTop : el.scrollLeft) !== before;
}
