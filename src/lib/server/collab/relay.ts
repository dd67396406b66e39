import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';
import { refuseUpgrade } from './refuse';

/**
 * Relaying a board's socket to the process that owns the board (issue 15). A process that gets
 * a `/collab/<id>` upgrade for a board another process owns opens a TCP connection to the
 * owner's internal address, sends it the client's handshake unchanged plus three headers that
 * prove it came from a Yoriai process (an HMAC under the shared YORIAI_INTERNAL_SECRET over the
 * board, the client's address and the time), then pipes bytes both ways. The owner answers the
 * handshake itself after its own checks (origin, session, membership, admission limits for the
 * client's address), so every frame — close codes included — passes unchanged, and the relay
 * adds one loopback or LAN hop and no parsing.
 *
 * When either side goes, the other is cut: a client whose owner died reconnects (y-websocket
 * does), and its next upgrade finds the board's new owner.
 */
const H_IP = 'x-yoriai-relay-ip';
const H_AT = 'x-yoriai-relay-at';
const H_SIG = 'x-yoriai-relay-sig';
/** A relayed handshake older than this is refused (a replayed one, or clocks far apart). */
const MAX_AGE_MS = 30_000;

function sign(secret: string, boardId: string, ip: string, at: string): Buffer {
	return createHmac('sha256', secret).update(`${boardId}\n${ip}\n${at}`).digest();
}

/**
 * Whether `req` was relayed by a Yoriai process: the client's address if its proof holds,
 * 'forged' if it carries relay headers that do not, null if it carries none (a direct client).
 */
export function relayedClient(
	req: IncomingMessage,
	secret: string,
	boardId: string,
	now: number
): { ip: string } | 'forged' | null {
	const ip = req.headers[H_IP];
	const at = req.headers[H_AT];
	const sig = req.headers[H_SIG];
	if (ip === undefined && at === undefined && sig === undefined) return null;
	if (typeof ip !== 'string' || typeof at !== 'string' || typeof sig !== 'string') return 'forged';
	if (!/^[0-9]{1,15}$/u.test(at) || Math.abs(now - Number(at)) > MAX_AGE_MS) return 'forged';
	const given = Buffer.from(sig, 'hex');
	const expected = sign(secret, boardId, ip, at);
	if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'forged';
	return { ip };
}

/**
 * Pipes the client's upgrade to the owner at `target` (see above); `sockets` maps it to the
 * owner's database backend (`backend`) until it ends, so that it can be cut once that session is
 * gone (CollabServer.cutOrphanedRelays).
 */
export function relayUpgrade(
	req: IncomingMessage,
	socket: Duplex,
	head: Buffer,
	r: { target: URL; backend: number; secret: string; boardId: string; ip: string; now: number },
	sockets: Map<Duplex, number>
): void {
	const upstream = connect({ host: r.target.hostname, port: Number(r.target.port) });
	upstream.setNoDelay(true);
	let piped = false;
	const end = () => {
		sockets.delete(socket);
		if (!piped && !socket.destroyed) refuseUpgrade(socket, 503, 'board owner unreachable');
		else socket.destroy();
		upstream.destroy();
	};
	upstream.on('error', end);
	upstream.on('close', end);
	socket.on('error', end);
	socket.on('close', end);
	upstream.on('connect', () => {
		if (socket.destroyed) return end();
		piped = true;
		sockets.set(socket, r.backend);
		const lines = [`GET ${req.url ?? '/'} HTTP/1.1`];
		const raw = req.rawHeaders;
		for (let i = 0; i + 1 < raw.length; i += 2) {
			// Whatever relay headers the client sent are dropped: only this process's count.
			if (raw[i]!.toLowerCase().startsWith('x-yoriai-relay-')) continue;
			lines.push(`${raw[i]}: ${raw[i + 1]}`);
		}
		const at = String(r.now);
		lines.push(`${H_IP}: ${r.ip}`, `${H_AT}: ${at}`);
		lines.push(`${H_SIG}: ${sign(r.secret, r.boardId, r.ip, at).toString('hex')}`);
		upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
		if (head.length > 0) upstream.write(head);
		if ('setNoDelay' in socket && typeof socket.setNoDelay === 'function') socket.setNoDelay(true);
		socket.pipe(upstream);
		upstream.pipe(socket);
	});
}
