import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { request } from 'node:http';

/**
 * Server-side writes to a board another process owns (issue 15). changeBoardDoc's change runs
 * here on a copy of the board's committed state; only the resulting Yjs update travels, by an
 * HMAC-signed POST to the owner's internal address, where it is applied to the live document
 * with the same origin, committed and broadcast like a change made there. Yjs merges it with
 * whatever the owner applied meanwhile, as it merges any two concurrent edits.
 *
 * `/internal/collab/<boardId>/apply?origin=<origin>`, body: the update. Answers 204 once the
 * update is durable, 409 if the board is not (or no longer) the receiver's.
 */
export const APPLY_PREFIX = '/internal/collab/';
const MAX_AGE_MS = 30_000;
const MAX_BYTES = 8 * 1024 * 1024;

function sign(secret: string, boardId: string, origin: string, at: string, body: Buffer): Buffer {
	const digest = createHash('sha256').update(body).digest('hex');
	return createHmac('sha256', secret)
		.update(`apply\n${boardId}\n${origin}\n${at}\n${digest}`)
		.digest();
}

/** Sends `update` to the owner at `target`; resolves 'applied', or 'not-owner' (409). */
export function sendApply(
	target: URL,
	secret: string,
	a: { boardId: string; origin: string; update: Uint8Array; now: number }
): Promise<'applied' | 'not-owner'> {
	const body = Buffer.from(a.update.buffer, a.update.byteOffset, a.update.byteLength);
	const at = String(a.now);
	return new Promise((resolve, reject) => {
		const req = request(
			{
				host: target.hostname,
				port: Number(target.port),
				method: 'POST',
				path: `${APPLY_PREFIX}${a.boardId}/apply?origin=${encodeURIComponent(a.origin)}`,
				headers: {
					'content-type': 'application/octet-stream',
					'content-length': body.length,
					'x-yoriai-relay-at': at,
					'x-yoriai-relay-sig': sign(secret, a.boardId, a.origin, at, body).toString('hex')
				},
				timeout: 15_000
			},
			(res) => {
				res.resume();
				if (res.statusCode === 204) resolve('applied');
				else if (res.statusCode === 409) resolve('not-owner');
				else reject(new Error(`the board's owner answered ${res.statusCode}`));
			}
		);
		req.on('timeout', () => req.destroy(new Error('the board owner did not answer in time')));
		req.on('error', reject);
		req.end(body);
	});
}

/**
 * The owner's side: answers an internal apply request if `req` is one (true), after checking
 * its signature; `apply` applies and commits, resolving false when this process does not own
 * the board. Anything not signed with the shared secret gets 403.
 */
export function handleApply(
	req: IncomingMessage,
	res: ServerResponse,
	secret: string | null,
	now: number,
	apply: (boardId: string, update: Uint8Array, origin: string) => Promise<boolean>
): boolean {
	const url = req.url ?? '';
	if (!url.startsWith(APPLY_PREFIX)) return false;
	const m =
		/^\/internal\/collab\/([A-Za-z0-9_-]{1,64})\/apply\?origin=([A-Za-z0-9%._-]{1,64})$/u.exec(url);
	const done = (status: number) => {
		res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
		res.end();
	};
	if (!secret || !m || req.method !== 'POST') {
		done(404);
		return true;
	}
	const boardId = m[1]!;
	const origin = decodeURIComponent(m[2]!);
	const chunks: Buffer[] = [];
	let size = 0;
	req.on('data', (c: Buffer) => {
		size += c.length;
		if (size > MAX_BYTES) req.destroy();
		else chunks.push(c);
	});
	req.on('end', () => {
		const body = Buffer.concat(chunks);
		const at = req.headers['x-yoriai-relay-at'];
		const sig = req.headers['x-yoriai-relay-sig'];
		if (
			typeof at !== 'string' ||
			typeof sig !== 'string' ||
			!/^[0-9]{1,15}$/u.test(at) ||
			Math.abs(now - Number(at)) > MAX_AGE_MS
		)
			return done(403);
		const given = Buffer.from(sig, 'hex');
		const expected = sign(secret, boardId, origin, at, body);
		if (given.length !== expected.length || !timingSafeEqual(given, expected)) return done(403);
		apply(boardId, new Uint8Array(body), origin).then(
			(owned) => done(owned ? 204 : 409),
			() => done(500)
		);
	});
	return true;
}
