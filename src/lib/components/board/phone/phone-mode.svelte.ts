/**
 * Whether the board is shown in its phone layout: one lane at a time, a lane switcher, sheets.
 * Follows the same width as the board's narrow CSS (700 px), through matchMedia, so rotating a
 * tablet or resizing a window switches layouts live. Without JavaScript (and during the server
 * render) the board keeps its lanes side by side, scrolling sideways inside their own box.
 */
export const PHONE_QUERY = '(max-width: 700px)';

export class PhoneMode {
	on = $state(false);

	/** Starts following the media query; returns the function that stops it. */
	start(): () => void {
		const mq = window.matchMedia(PHONE_QUERY);
		const update = () => (this.on = mq.matches);
		update();
		mq.addEventListener('change', update);
		return () => mq.removeEventListener('change', update);
	}
}

/**
 * A horizontal swipe on `node` (at least 60 px, mostly sideways, under 600 ms): the phone board
 * switches lanes with it. A held touch that starts a card drag is not a swipe: `busy` says so.
 */
export function swipe(
	node: HTMLElement,
	opts: { onleft: () => void; onright: () => void; busy: () => boolean }
) {
	let start: { x: number; y: number; at: number } | null = null;
	const down = (e: TouchEvent) => {
		const touch = e.touches[0];
		start =
			e.touches.length === 1 && touch
				? { x: touch.clientX, y: touch.clientY, at: e.timeStamp }
				: null;
	};
	const up = (e: TouchEvent) => {
		const touch = e.changedTouches[0];
		if (!start || !touch || opts.busy()) return;
		const dx = touch.clientX - start.x;
		const dy = touch.clientY - start.y;
		const quick = e.timeStamp - start.at < 600;
		start = null;
		if (!quick || Math.abs(dx) < 60 || Math.abs(dx) < 2 * Math.abs(dy)) return;
		if (dx < 0) opts.onleft();
		else opts.onright();
	};
	node.addEventListener('touchstart', down, { passive: true });
	node.addEventListener('touchend', up, { passive: true });
	return () => {
		node.removeEventListener('touchstart', down);
		node.removeEventListener('touchend', up);
	};
}
