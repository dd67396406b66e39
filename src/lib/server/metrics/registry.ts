import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The process's Prometheus metrics (prom-client), served at /metrics. One registry per process,
 * on globalThis like the app: SvelteKit's bundle (HTTP, ballots) and the Node entry (realtime
 * commits) both record into it. Gauges of live state (sockets, boards, backup age) are read
 * when scraped, through `setProbes`, so nothing has to keep them up to date.
 */
export interface Probes {
	openSockets(): number;
	loadedBoards(): number;
	/** Refused realtime updates so far, by reason (counted by the realtime server). */
	refusals(): Record<string, number>;
	/** When the last successful backup finished (ms), or null. */
	lastBackupAt(): Promise<number | null>;
	now(): number;
}

function create() {
	const registry = new Registry();
	collectDefaultMetrics({ register: registry, prefix: 'yoriai_' });
	let probes: Probes | null = null;
	const refusalsSeen = new Map<string, number>();
	const refusals = new Counter({
		name: 'yoriai_update_refusals_total',
		help: 'Realtime updates refused by the board rules, by reason',
		labelNames: ['reason'] as const,
		registers: [registry],
		collect() {
			// The realtime server counts; this turns its running totals into counter increments.
			for (const [reason, total] of Object.entries(probes?.refusals() ?? {})) {
				const delta = total - (refusalsSeen.get(reason) ?? 0);
				if (delta > 0) this.inc({ reason }, delta);
				refusalsSeen.set(reason, total);
			}
		}
	});
	return {
		registry,
		setProbes(p: Probes) {
			probes = p;
		},
		http: new Counter({
			name: 'yoriai_http_requests_total',
			help: 'HTTP requests answered, by method, route and status',
			labelNames: ['method', 'route', 'status'] as const,
			registers: [registry]
		}),
		httpSeconds: new Histogram({
			name: 'yoriai_http_request_duration_seconds',
			help: 'Time to answer an HTTP request, by method and route',
			labelNames: ['method', 'route'] as const,
			buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
			registers: [registry]
		}),
		commitSeconds: new Histogram({
			name: 'yoriai_collab_commit_seconds',
			help: 'Time for one group commit of realtime updates to reach the disk',
			buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
			registers: [registry]
		}),
		refusals,
		ballots: new Counter({
			name: 'yoriai_ballots_cast_total',
			help: 'Ballot changes stored (cast, one dot more or less, confirmed)',
			labelNames: ['change'] as const,
			registers: [registry]
		}),
		throttled: new Counter({
			name: 'yoriai_throttled_requests_total',
			help: 'Requests refused by a throttle, by which one',
			labelNames: ['throttle'] as const,
			registers: [registry]
		}),
		openSockets: new Gauge({
			name: 'yoriai_open_sockets',
			help: 'Realtime sockets open now',
			registers: [registry],
			collect() {
				this.set(probes?.openSockets() ?? 0);
			}
		}),
		loadedBoards: new Gauge({
			name: 'yoriai_loaded_boards',
			help: 'Board documents held in memory now',
			registers: [registry],
			collect() {
				this.set(probes?.loadedBoards() ?? 0);
			}
		}),
		backupAge: new Gauge({
			name: 'yoriai_backup_age_seconds',
			help: 'Seconds since the last successful backup finished (-1: none yet)',
			registers: [registry],
			async collect() {
				const at = probes ? await probes.lastBackupAt() : null;
				this.set(at === null || !probes ? -1 : Math.max(0, (probes.now() - at) / 1000));
			}
		})
	};
}

export type Metrics = ReturnType<typeof create>;

const KEY = Symbol.for('yoriai.metrics');
type Holder = { [KEY]?: Metrics };

export function metrics(): Metrics {
	return ((globalThis as Holder)[KEY] ??= create());
}
