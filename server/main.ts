/**
 * The production entry: one Node HTTP server for SvelteKit's adapter-node handler and the
 * WebSocket upgrade, on PORT (default 3000). Run after `npm run build` with `npm start`.
 */
// First: zod must be jitless before any schema module is evaluated.
import '../src/lib/zod-jitless';
import { createServer } from 'node:http';
import { readConfig } from '../src/lib/server/config';
import { openApp, closeApp, type App } from '../src/lib/server/app';
import { DatabaseInUseError } from '../src/lib/server/db/process-lock';
import { DatabaseSetupError } from '../src/lib/server/db/postgres';
import { closeCollab, startCollab } from '../src/lib/server/collab/index';
import { bodyLimit, bodyLimits } from '../src/lib/server/http/body-limit';
import { withCompression } from '../src/lib/server/http/compress';
import {
	handleInternalApply,
	handleUpgrade,
	refusePlainCollabRequest
} from '../src/lib/server/http/upgrade';
import { seedLibraryAtStart } from '../src/lib/server/reports/seed';
import { logger } from '../src/lib/server/log/logger';
import { metrics } from '../src/lib/server/metrics/registry';
import { probeApp } from '../src/lib/server/metrics/collab';
import { startBackupSchedule, stopBackupSchedule } from '../src/lib/server/backup/service';

const started = performance.now();
const config = readConfig();
// adapter-node reads ORIGIN itself (and would assume https without it); it must agree with the
// origin Yoriai checks on upgrades.
process.env.ORIGIN = config.origin;
// BODY_SIZE_LIMIT stays the operator's general limit; adapter-node, which reads it when its
// handler is imported, is told the largest (the import upload's), and body-limit.ts enforces
// the general one on every other request before the handler (and both on chunked bodies).
const limits = bodyLimits(process.env);
process.env.BODY_SIZE_LIMIT = String(limits.importUpload);
let app: App;
try {
	app = await openApp(config);
} catch (e) {
	// DUR: a second server on one database file refuses to start, saying why, without a trace;
	// so does a server whose PostgreSQL is unreachable or unfit (postgres.ts says how to fix it).
	if (!(e instanceof DatabaseInUseError) && !(e instanceof DatabaseSetupError)) throw e;
	logger.fatal(`Yoriai did not start: ${e.message}`);
	process.exit(1);
}
await seedLibraryAtStart(app);
// Realtime boards on /collab/<boardId>, on this same server.
startCollab(app, {
	prewarm: true,
	// The realtime server's events as structured lines (fields are never message contents).
	log: (event, fields) => {
		const level = event.includes('error') || event.includes('fail') ? 'error' : 'info';
		logger[level]({ collab: event, ...fields }, `collab ${event}`);
	},
	onCommit: (seconds) => metrics().commitSeconds.observe(seconds)
});
probeApp(app);
startBackupSchedule(app);

// Imported only now: the SvelteKit handler reads the app from globalThis on each request.
const handlerPath = '../build/handler.js';
const { handler } = (await import(handlerPath)) as {
	handler: (
		req: import('node:http').IncomingMessage,
		res: import('node:http').ServerResponse
	) => void;
};

const compressed = withCompression(handler);
const limitBody = bodyLimit(limits);
const server = createServer((req, res) => {
	// HDR-04: TRACE echoes requests back; nothing in Yoriai uses it.
	if (req.method === 'TRACE' || req.method === 'TRACK') {
		res.writeHead(405, { Allow: 'GET, HEAD, POST', 'Content-Type': 'text/plain; charset=utf-8' });
		res.end('Method Not Allowed\n');
		return;
	}
	if (refusePlainCollabRequest(req, res)) return;
	// Several processes: a board's owner applies the document changes its peers made.
	if (handleInternalApply(app, req, res)) return;
	limitBody(req, res, () => compressed(req, res));
});
// OPS-02: Node's defaults, written down: slow-header clients are cut off.
server.headersTimeout = 60_000;
server.requestTimeout = 300_000;
server.on('upgrade', (req, socket, head) => handleUpgrade(app, req, socket, head));
server.listen(config.port, config.host, () => {
	const ms = Math.round(performance.now() - started);
	logger.info(
		{ port: config.port, ms },
		`Yoriai listening on http://localhost:${config.port} (ready in ${ms} ms)`
	);
});

let closing = false;
/**
 * DUR-08: stop accepting, let HTTP requests finish, commit every realtime update and close the
 * sockets with 1012 (clients reconnect to the next process), and only then close the database.
 */
async function shutdown(signal: string) {
	if (closing) return;
	closing = true;
	logger.info(`${signal}: shutting down`);
	stopBackupSchedule();
	const httpClosed = new Promise<void>((resolve) => server.close(() => resolve()));
	server.closeIdleConnections();
	// Keep-alive connections that never go idle must not hold shutdown hostage.
	setTimeout(() => {
		server.closeAllConnections();
	}, 5_000).unref();
	await closeCollab(app);
	await httpClosed;
	await closeApp(app);
	process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
