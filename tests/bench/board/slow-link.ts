/**
 * A slow network link in front of a local server, for the phone benchmark: a TCP proxy whose two
 * directions each behave like one shared radio link — bytes leave one after another at the link's
 * rate (every connection of the page competes for it, as on venue Wi-Fi) and arrive half a round
 * trip later; a new connection's first bytes also wait one round trip (the TCP handshake).
 *
 * Why not Chromium's own network emulation: it throttles HTTP but not WebSockets, and Yoriai's
 * board sends its full state over the socket. Through this link the socket is as slow as the rest
 * and its bytes are counted (a connection whose first request asks for `Upgrade: websocket`).
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface LinkProfile {
	/** Bytes per second from the server to the phone. */
	downBytesPerS: number;
	/** Bytes per second from the phone to the server. */
	upBytesPerS: number;
	/** Round-trip time in ms. */
	rttMs: number;
}

/** One direction of the link: when the channel is next free, shared by all connections. */
class Channel {
	private freeAt = 0;
	constructor(private readonly bytesPerMs: number) {}

	/** When a chunk of `bytes` offered at `now` (not before `earliest`) has left the sender. */
	transmit(bytes: number, now: number, earliest: number): number {
		const start = Math.max(now, earliest, this.freeAt);
		this.freeAt = start + bytes / this.bytesPerMs;
		return this.freeAt;
	}
}

/**
 * Delivers one connection's chunks in one direction in order, each at its arrival time: a FIFO
 * drained by a single timer (one timer per chunk could fire out of order within a millisecond).
 */
class Pipe {
	private readonly queue: { at: number; chunk: Buffer }[] = [];
	private timer: NodeJS.Timeout | null = null;
	private ended = false;

	constructor(
		private readonly to: Socket,
		private readonly channel: Channel,
		private readonly oneWayMs: number,
		private readonly earliest: number
	) {}

	push(chunk: Buffer): void {
		const now = performance.now();
		const sent = this.channel.transmit(chunk.length, now, this.earliest);
		this.queue.push({ at: sent + this.oneWayMs, chunk });
		this.schedule();
	}

	/** The sender closed its side: close ours once everything queued has arrived. */
	end(): void {
		this.ended = true;
		this.schedule();
	}

	private schedule(): void {
		if (this.timer) return;
		const head = this.queue[0];
		if (!head) {
			if (this.ended) this.to.end();
			return;
		}
		this.timer = setTimeout(
			() => {
				this.timer = null;
				const now = performance.now();
				while (this.queue[0] && this.queue[0].at <= now + 0.5) {
					const { chunk } = this.queue.shift() as { chunk: Buffer };
					if (!this.to.destroyed) this.to.write(chunk);
				}
				this.schedule();
			},
			Math.max(0, head.at - performance.now())
		);
	}
}

export interface SlowLink {
	url: string;
	/** Bytes that crossed the link on WebSocket connections since the last reset, both ways. */
	socketBytes: () => number;
	reset: () => void;
	close: () => Promise<void>;
}

/** Listens on `port` (loopback) and forwards to `target` through a link with `profile`. */
export async function slowLink(
	port: number,
	target: { host: string; port: number },
	profile: LinkProfile
): Promise<SlowLink> {
	const down = new Channel(profile.downBytesPerS / 1000);
	const up = new Channel(profile.upBytesPerS / 1000);
	const oneWay = profile.rttMs / 2;
	const open = new Set<Socket>();
	let socketBytes = 0;

	// Half-open sockets: an end from one side is passed on only after its queued bytes arrived.
	const server: Server = createServer({ allowHalfOpen: true }, (phone) => {
		const handshakeDone = performance.now() + profile.rttMs;
		const backend = connect({ port: target.port, host: target.host, allowHalfOpen: true });
		open.add(phone).add(backend);
		const toServer = new Pipe(backend, up, oneWay, handshakeDone);
		const toPhone = new Pipe(phone, down, oneWay, handshakeDone);
		let websocket: boolean | null = null;
		phone.on('data', (chunk: Buffer) => {
			websocket ??= /^upgrade:\s*websocket/imu.test(chunk.subarray(0, 2048).toString('latin1'));
			if (websocket) socketBytes += chunk.length;
			toServer.push(chunk);
		});
		backend.on('data', (chunk: Buffer) => {
			if (websocket) socketBytes += chunk.length;
			toPhone.push(chunk);
		});
		phone.on('end', () => toServer.end());
		backend.on('end', () => toPhone.end());
		// A reset on either side resets both; a clean close only leaves the set.
		const drop = () => {
			phone.destroy();
			backend.destroy();
		};
		phone.on('error', drop).on('close', () => open.delete(phone));
		backend.on('error', drop).on('close', () => open.delete(backend));
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => resolve());
	});
	return {
		url: `http://localhost:${port}`,
		socketBytes: () => socketBytes,
		reset: () => (socketBytes = 0),
		close: async () => {
			for (const s of open) s.destroy();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		}
	};
}
