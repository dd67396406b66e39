/**
 * Ours: the real app context (migrations, SQLite with synchronous=FULL) and the production
 * upgrade handler on a plain HTTP server — the built server minus SvelteKit's page handler.
 * Production settings (including the start-up prewarm), except two limits the loopback harness
 * needs (BENCH_LIMITS in servers.ts).
 */
import { createServer } from 'node:http';
import { openApp } from '../../../../src/lib/server/app';
import {
	closeCollab,
	startCollab,
	type CollabLimits
} from '../../../../src/lib/server/collab/index';
import { readConfig } from '../../../../src/lib/server/config';
import { handleUpgrade } from '../../../../src/lib/server/http/upgrade';
import { serveStats } from './stats';

const app = await openApp(readConfig());
const limits = JSON.parse(process.env.COLLAB_LIMITS ?? '{}') as Partial<CollabLimits>;
// Logging every connection is part of the real cost; the harness discards the output.
const collab = startCollab(app, { limits, prewarm: true });
const server = createServer((_req, res) => res.end('ok'));
server.on('upgrade', (req, socket, head) => handleUpgrade(app, req, socket, head));
serveStats(Number(process.env.STATS_PORT), () => collab.registry.size);
server.listen(app.config.port, '127.0.0.1', () => console.info('ready'));
process.on('SIGTERM', () => {
	void closeCollab(app).then(() => process.exit(0));
});
