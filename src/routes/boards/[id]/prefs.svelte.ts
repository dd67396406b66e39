/**
 * How one person likes to see boards, kept in this browser only (never in the shared document):
 * card density, whether the side panel is open, and which lanes of this board are folded.
 */
export type Density = 'compact' | 'comfortable';

export class BoardPrefs {
	density = $state<Density>('compact');
	panel = $state(false);
	collapsed = $state<string[]>([]);
	readonly #prefix: string;
	readonly #boardId: string;

	constructor(userId: number, boardId: string, panelByDefault: boolean) {
		this.#prefix = `yoriai:u${userId}:`;
		this.#boardId = boardId;
		this.panel = panelByDefault;
	}

	/** Reads the stored choices; called once the page runs in a browser. */
	load(): void {
		const density = read(`${this.#prefix}density`);
		if (density === 'compact' || density === 'comfortable') this.density = density;
		const panel = read(`${this.#prefix}panel`);
		if (panel === 'open' || panel === 'closed') this.panel = panel === 'open';
		// On a phone the panel covers the board: it starts closed there unless chosen otherwise.
		else if (!matchMedia('(min-width: 1000px)').matches) this.panel = false;
		try {
			const lanes = JSON.parse(read(this.#collapsedKey) ?? '[]') as unknown;
			if (Array.isArray(lanes)) this.collapsed = lanes.filter((x) => typeof x === 'string');
		} catch {
			// A damaged entry is the same as none.
		}
	}

	setDensity(d: Density): void {
		this.density = d;
		write(`${this.#prefix}density`, d);
	}

	setPanel(open: boolean): void {
		this.panel = open;
		write(`${this.#prefix}panel`, open ? 'open' : 'closed');
	}

	isCollapsed(laneId: string): boolean {
		return this.collapsed.includes(laneId);
	}

	toggleLane(laneId: string): void {
		this.collapsed = this.isCollapsed(laneId)
			? this.collapsed.filter((id) => id !== laneId)
			: [...this.collapsed, laneId];
		write(this.#collapsedKey, JSON.stringify(this.collapsed));
	}

	get #collapsedKey() {
		return `${this.#prefix}board:${this.#boardId}:collapsed`;
	}
}

// Storage can be disabled or full (private windows, quotas): preferences then last for the page.
function read(key: string): string | null {
	try {
		return localStorage.getItem(key);
	} catch {
		return null;
	}
}

function write(key: string, value: string): void {
	try {
		localStorage.setItem(key, value);
	} catch {
		// See read().
	}
}
