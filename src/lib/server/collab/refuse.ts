import type { Duplex } from 'node:stream';

const STATUS_TEXT: Record<number, string> = {
	400: 'Bad Request',
	401: 'Unauthorized',
	403: 'Forbidden',
	429: 'Too Many Requests',
	500: 'Internal Server Error',
	503: 'Service Unavailable'
};

/**
 * Answers an upgrade request with a plain HTTP error instead of a handshake (WS-01). Browsers
 * only see that the socket failed; the reason is for people reading logs and for tests.
 */
export function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
	if (socket.destroyed) return;
	const body = `${reason}\n`;
	socket.end(
		`HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\n` +
			'Connection: close\r\n' +
			'Content-Type: text/plain; charset=utf-8\r\n' +
			`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
	);
}
