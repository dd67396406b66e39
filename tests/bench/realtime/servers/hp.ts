/**
 * Reference: Hocuspocus 4.7 with its SQLite extension at its defaults (debounced snapshots:
 * debounce 2 s, maxDebounce 10 s), every connection authenticated.
 */
import { SQLite } from '@hocuspocus/extension-sqlite';
import { Server } from '@hocuspocus/server';
import { serveStats } from './stats';

const server = new Server({
	port: Number(process.env.PORT),
	address: '127.0.0.1',
	quiet: true,
	stopOnSignals: false,
	websocketOptions: { maxPayload: Number(process.env.MAX_PAYLOAD), perMessageDeflate: false },
	extensions: [new SQLite({ database: process.env.DATABASE_PATH ?? ':memory:' })],
	async onAuthenticate() {
		return {};
	}
});
serveStats(Number(process.env.STATS_PORT), () => server.hocuspocus.documents.size);
await server.listen();
console.info('ready');
