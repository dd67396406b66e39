import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { App } from '../app';

/**
 * The HTTP server's `upgrade` event. WebSocket upgrades never pass through SvelteKit, so every
 * check happens here. Realtime boards plug in on `/collab/<boardId>`; until then such an upgrade
 * is refused with a proper HTTP answer, and any other upgrade is dropped.
 */
export function handleUpgrade(_app: App, req: IncomingMessage, socket: Duplex): void {
	// A socket error (a client resetting mid-handshake) must never reach the process.
	socket.on('error', () => socket.destroy());
	const path = (req.url ?? '').split('?')[0] ?? '';
	if (path.startsWith('/collab/')) {
		reject(socket, 503, 'Service Unavailable', 'realtime boards are not available yet');
		return;
	}
	socket.destroy();
}

export function reject(socket: Duplex, status: number, statusText: string, reason: string): void {
	const body = `${reason}\n`;
	socket.end(
		`HTTP/1.1 ${status} ${statusText}\r\n` +
			'Connection: close\r\n' +
			'Content-Type: text/plain; charset=utf-8\r\n' +
			`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
	);
}
