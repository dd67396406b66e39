import * as prng from 'lib0/prng';
import * as Y from 'yjs';
import { moveCard } from '../../helpers/board-model';
import { fullClient, tag, tagsIn, waitUntil, type Client, type Endpoint } from './clients';
import { sleep } from './servers';

/**
 * Writers edit at a fixed rate; every edit carries a tag (op id) in `lat`, and receivers time
 * when each tag reaches them. One scheduler tick for all writers keeps the harness cheap.
 */
export class Workload {
	readonly sentAt: number[] = [];
	readonly latencies: number[] = [];
	deliveries = 0;
	counting = false;
	firstCounted = Infinity;
	lastCounted = -1;
	private readonly gen = prng.create(1);

	observe(c: Client): void {
		c.doc.getMap('lat').observe((e, tr) => {
			if (tr.local) return;
			const now = performance.now();
			for (const key of e.keysChanged) {
				const v = c.doc.getMap('lat').get(key);
				if (typeof v !== 'string') continue;
				for (const id of tagsIn(Buffer.from(v, 'latin1'))) {
					if (id < this.firstCounted || id > this.lastCounted) continue;
					this.latencies.push(now - (this.sentAt[id] as number));
					this.deliveries++;
				}
			}
		});
	}

	/** Runs `writers` at `hz` each for `ms`; ops are counted after the warm-up. */
	async drive(writers: Client[], hz: number, ms: number, warmupMs: number): Promise<number> {
		const period = 1000 / hz;
		const next = writers.map((_, i) => performance.now() + (i * period) / writers.length);
		const start = performance.now();
		let ops = 0;
		let awarenessTick = 0;
		while (performance.now() - start < warmupMs + ms) {
			const now = performance.now();
			const inWindow = now - start >= warmupMs;
			writers.forEach((w, i) => {
				if (now < (next[i] as number)) return;
				next[i] = (next[i] as number) + period;
				const id = this.sentAt.length;
				if (inWindow) {
					if (!this.counting) {
						this.counting = true;
						this.firstCounted = id;
					}
					this.lastCounted = id;
					ops++;
				}
				this.sentAt.push(performance.now());
				const cards = w.doc.getMap<Y.Map<unknown>>('cards');
				w.doc.transact(() => {
					const card = cards.get(`card${prng.uint32(this.gen, 0, 499)}`);
					if (card) moveCard(card, this.gen);
					w.doc.getMap('lat').set(`w${i}`, tag(id));
				});
				// Active clients move their cursor every 200 ms.
				if (awarenessTick++ % 2 === 0)
					w.awareness.setLocalStateField('cursor', { x: prng.uint32(this.gen, 0, 1000) });
			});
			await sleep(2);
		}
		return ops;
	}
}

/**
 * Connects `count` full clients of `room` (user `firstUser + i` of `tokens` for client i) and
 * waits until all are synced and, with `cards`, hold that many cards. `docFor(i)` gives client i
 * its document (the stock server's first client brings the board: it has no store).
 */
export async function joinClients(
	at: Endpoint,
	room: string,
	tokens: readonly string[],
	count: number,
	opts: { firstUser?: number; cards?: number; docFor?: (i: number) => Y.Doc } = {}
): Promise<Client[]> {
	const first = opts.firstUser ?? 0;
	const clients: Client[] = [];
	for (let i = 0; i < count; i++)
		clients.push(fullClient(at, room, tokens[(first + i) % tokens.length] ?? '', opts.docFor?.(i)));
	await Promise.all(clients.map((c) => c.whenSynced()));
	const cards = opts.cards;
	if (cards !== undefined)
		await waitUntil(
			() => clients.every((c) => c.doc.getMap('cards').size === cards),
			30_000,
			'board everywhere'
		);
	return clients;
}
