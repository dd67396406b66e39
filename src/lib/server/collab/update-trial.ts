import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Test-applies large client updates to an empty document in a worker thread before the main
 * thread touches them (WS-07). Yjs cannot be interrupted once `applyUpdate` runs, and crafted
 * updates can make decoding or integration take seconds or allocate hundreds of MB (yjs#687); in
 * the worker that happens under a heap cap and a deadline, after which the worker is killed and
 * the update refused. The main thread only applies what the worker applied cheaply.
 *
 * Measured cost: a round trip of well under a millisecond plus the apply itself (which a cold
 * worker runs several times slower than the warmed-up main thread). Only updates at or above
 * `trialThresholdBytes` take this path (catch-up syncs, large pastes); ordinary edits never do.
 */
export type TrialResult = 'ok' | 'invalid' | 'too-slow' | 'busy';

interface Job {
	id: number;
	update: Uint8Array;
	budgetMs: number;
	resolve: (r: TrialResult) => void;
}

// CommonJS on purpose: an `eval` worker runs as a script, and the path to Yjs is resolved by the
// main thread (it works the same from the dev server, the bundles and the tests).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Y = require(workerData.yjs);
parentPort.on('message', ({ id, update }) => {
	let ok = true;
	try {
		const doc = new Y.Doc();
		Y.applyUpdate(doc, update);
		doc.destroy();
	} catch {
		ok = false;
	}
	parentPort.postMessage({ id, ok });
});
`;

/** Jobs waiting beyond this are refused rather than queued (the queue itself is a resource). */
const MAX_QUEUED = 16;

export class UpdateTrial {
	private worker: Worker | null = null;
	private readonly queue: Job[] = [];
	private running: Job | null = null;
	private timer: NodeJS.Timeout | null = null;
	private nextId = 1;
	private closed = false;
	private readonly yjsPath = createRequire(import.meta.url).resolve('yjs');

	constructor(
		private readonly heapMb: number,
		private readonly baseMs: number,
		private readonly msPerKiB: number
	) {}

	run(update: Uint8Array): Promise<TrialResult> {
		if (this.closed) return Promise.resolve('busy');
		if (this.queue.length >= MAX_QUEUED) return Promise.resolve('busy');
		return new Promise((resolve) => {
			const budgetMs = this.baseMs + (update.length / 1024) * this.msPerKiB;
			this.queue.push({ id: this.nextId++, update, budgetMs, resolve });
			this.pump();
		});
	}

	async close(): Promise<void> {
		this.closed = true;
		for (const job of this.queue.splice(0)) job.resolve('busy');
		this.finish('busy');
		await this.worker?.terminate();
		this.worker = null;
	}

	private pump(): void {
		if (this.running || this.closed) return;
		const job = this.queue.shift();
		if (!job) return;
		this.running = job;
		this.ensureWorker().postMessage({ id: job.id, update: job.update });
		// The deadline starts when the worker gets the job, not while it waits in the queue.
		this.timer = setTimeout(() => this.kill('too-slow'), job.budgetMs);
	}

	private ensureWorker(): Worker {
		if (this.worker) return this.worker;
		const worker = new Worker(WORKER_SOURCE, {
			eval: true,
			workerData: { yjs: this.yjsPath },
			// Out-of-memory inside the worker ends the worker, not the process.
			resourceLimits: { maxOldGenerationSizeMb: this.heapMb, maxYoungGenerationSizeMb: 32 }
		});
		worker.on('message', (m: { id: number; ok: boolean }) => {
			if (this.running?.id === m.id) this.finish(m.ok ? 'ok' : 'invalid');
		});
		// A crash (out of memory) is the update's fault: refuse it, start afresh for the next one.
		worker.on('error', () => this.kill('invalid'));
		worker.on('exit', () => {
			if (this.worker === worker) {
				this.worker = null;
				this.finish('invalid');
			}
		});
		worker.unref();
		this.worker = worker;
		return worker;
	}

	private kill(result: TrialResult): void {
		const worker = this.worker;
		this.worker = null;
		this.finish(result);
		void worker?.terminate();
	}

	private finish(result: TrialResult): void {
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
		const job = this.running;
		this.running = null;
		job?.resolve(result);
		this.pump();
	}
}
