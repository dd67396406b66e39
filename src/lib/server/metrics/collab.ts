import type { App } from '../app';
import { peekCollab } from '../collab/index';
import { lastGoodBackupAt } from '../backup/runs';
import type { LiveCounts } from '../admin/overview';
import { metrics } from './registry';

/** Sockets and loaded boards of the running realtime server (zero when none runs). */
export function liveCounts(app: App): LiveCounts {
	const collab = peekCollab(app);
	return {
		openSockets: collab?.connections.all.size ?? 0,
		loadedBoards: collab?.registry.size ?? 0
	};
}

/** Connects the scrape-time gauges to this app; called once by the Node entry. */
export function probeApp(app: App): void {
	metrics().setProbes({
		openSockets: () => liveCounts(app).openSockets,
		loadedBoards: () => liveCounts(app).loadedBoards,
		refusals: () => {
			const stats = peekCollab(app)?.stats.refusedByRule ?? {};
			return Object.fromEntries(Object.entries(stats).map(([k, v]) => [k, v ?? 0]));
		},
		lastBackupAt: () => lastGoodBackupAt(app.db),
		now: app.now
	});
}
