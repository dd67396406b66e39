import { createSubscriber } from 'svelte/reactivity';

/**
 * The server's clock as seen from this browser: timers are set in server time, so everyone —
 * late joiners and reconnecting laptops included — sees the same remaining time whatever their
 * own clock says. Ticks once a second while something reads it.
 */
export class ServerClock {
	#offset: number;
	readonly #subscribe = createSubscriber((update) => {
		const timer = setInterval(update, 1000);
		return () => clearInterval(timer);
	});

	/** A first guess from the page's own data (off by however long the page took to arrive). */
	constructor(serverNow: number) {
		this.#offset = serverNow - Date.now();
	}

	/** Measures the offset properly: the server's time against the middle of the round trip. */
	async sync(fetcher: typeof fetch = fetch): Promise<void> {
		const sent = Date.now();
		const res = await fetcher('/time', { cache: 'no-store' });
		const { now } = (await res.json()) as { now: number };
		const received = Date.now();
		this.#offset = now - (sent + received) / 2;
	}

	get now(): number {
		this.#subscribe();
		return Date.now() + this.#offset;
	}
}

/** 5:07, 1:02:09 */
export function formatDuration(ms: number): string {
	const total = Math.ceil(ms / 1000);
	const h = Math.floor(total / 3600);
	const m = Math.floor((total % 3600) / 60);
	const s = total % 60;
	const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
	return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}
