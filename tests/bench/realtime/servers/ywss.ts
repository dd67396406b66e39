/**
 * Reference: the stock y-websocket server (@y/websocket-server 0.1.1 `setupWSConnection` behind
 * ws 8) as it ships — no auth, no persistence, no read-only mode — with maxPayload set like ours.
 */
import { createServer } from 'node:http';
import { docs, setupWSConnection } from '@y/websocket-server/utils';
import { WebSocketServer } from 'ws';
import { serveStats } from './stats';

const port = Number(process.env.PORT);
const wss = new WebSocketServer({
	noServer: true,
	maxPayload: Number(process.env.MAX_PAYLOAD),
	perMessageDeflate: false
});
const server = createServer((_req, res) => res.end('ok'));
server.on('upgrade', (req, socket, head) => {
	wss.handleUpgrade(req, socket, head, (ws) => setupWSConnection(ws, req));
});
serveStats(Number(process.env.STATS_PORT), () => docs.size);
server.listen(port, '127.0.0.1', () => console.info('ready'));
