import type { IncomingMessage, ServerResponse } from 'node:http';
import { isLocale, type Locale } from '../../i18n/messages';
import { negotiateLocale, translator } from '../../i18n/translate';
import { IMPORT_LIMITS } from '../library-import/limits';
import { logger } from '../log/logger';

/**
 * Request bodies are bounded per route. Every request keeps the small general limit (the
 * operator's `BODY_SIZE_LIMIT`, 512 KB by default, as adapter-node reads it), except the one
 * place that takes files: the report import's upload, which accepts the import's own maximum
 * (IMPORT_LIMITS.maxBytes). adapter-node knows only one limit, read once when its handler is
 * imported; so the entry (server/main.ts) tells it the largest limit and this middleware,
 * running before it, enforces the smaller one everywhere else:
 *
 * - a declared Content-Length over the route's limit is answered 413 at once, before a byte of
 *   the body is read; what the client sends on is dropped for two seconds and the connection
 *   then closed, rather than drained (a 200 MB upload is never read, let alone held);
 * - a body without a length (chunked) is counted as it is read; past the limit the reader gets
 *   an error with status 413 (which hooks.server.ts answers in the reader's language, as it does
 *   adapter-node's own) and nothing more of the body is passed on.
 *
 * The dev server (vite.config.ts) runs it too; SvelteKit's dev server has no limit of its own.
 */

/** adapter-node's default, kept as the general limit. */
export const DEFAULT_BODY_LIMIT = 512 * 1024;
/** Room for the multipart envelope around the file (boundaries, part headers, the file name). */
const MULTIPART_ROOM = 64 * 1024;
/** Where report files are posted (the `upload` action of /library/import). */
const IMPORT_UPLOAD_PATH = '/library/import';

export interface BodyLimits {
	/** Every request but the import upload, in bytes. */
	general: number;
	/** The import upload: the file's maximum and its envelope (never below the general limit). */
	importUpload: number;
}

/** `512K`, `20M`, `1G`, a plain number of bytes or `Infinity`, as adapter-node reads them. */
export function parseByteSize(value: string, name = 'BODY_SIZE_LIMIT'): number {
	const m = /^\s*(\d+(?:\.\d+)?|Infinity)\s*([KMG]?)\s*$/iu.exec(value);
	if (!m) throw new Error(`${name}=${value} is not a size (e.g. 512K, 20M, 1G or bytes)`);
	const unit = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[m[2]!.toUpperCase() as '' | 'K'];
	return Math.floor(Number(m[1]) * unit);
}

/** The limits from the environment: `BODY_SIZE_LIMIT` keeps its meaning, the general limit. */
export function bodyLimits(env: Record<string, string | undefined>): BodyLimits {
	const raw = env.BODY_SIZE_LIMIT?.trim();
	const general = raw ? parseByteSize(raw) : DEFAULT_BODY_LIMIT;
	return { general, importUpload: Math.max(general, IMPORT_LIMITS.maxBytes + MULTIPART_ROOM) };
}

/** Whether the request is an upload to the report import. */
export function isImportUpload(method: string | undefined, url: string | undefined): boolean {
	if (method !== 'POST') return false;
	const path = (url ?? '').split('?')[0]!;
	return path === IMPORT_UPLOAD_PATH || path === `${IMPORT_UPLOAD_PATH}/`;
}

export function limitFor(req: Pick<IncomingMessage, 'method' | 'url'>, limits: BodyLimits) {
	return isImportUpload(req.method, req.url) ? limits.importUpload : limits.general;
}

/** The error a streamed body ends with past its limit; hooks read `status` (form-body.ts). */
export class BodyTooLargeError extends Error {
	readonly status = 413;
	constructor(limit: number) {
		super(`request body over its limit of ${limit} bytes`);
	}
}

type Next = () => void;

/** A connect-style middleware (the dev server's), also called directly by server/main.ts. */
export function bodyLimit(limits: BodyLimits) {
	return (req: IncomingMessage, res: ServerResponse, next: Next): void => {
		const limit = limitFor(req, limits);
		const declared = req.headers['content-length'];
		if (declared !== undefined) {
			// Node's parser has already refused a malformed length; the body cannot exceed it.
			if (Number(declared) > limit) return refuse(req, res, limit, Number(declared));
		} else if (req.headers['transfer-encoding'] !== undefined) {
			capStreamedBody(req, limit);
		}
		next();
	};
}

/**
 * Counts the chunks handed to the body's reader. Readable emits every chunk it hands out as
 * 'data' (flowing, paused or async-iterated alike), so counting there sees the whole body once
 * without reading it ahead of its consumer. Past the limit the reader gets the error and the
 * rest is dropped (see linger).
 */
function capStreamedBody(req: IncomingMessage, limit: number): void {
	let size = 0;
	let over = false;
	const emit = req.emit.bind(req);
	req.emit = ((event: string | symbol, ...args: unknown[]): boolean => {
		if (event !== 'data') return emit(event, ...args);
		if (over) return false;
		size += (args[0] as { length: number }).length;
		if (size <= limit) return emit(event, ...args);
		logger.warn(
			{ status: 413, method: req.method, path: pathOf(req), limit },
			'body: over the limit'
		);
		over = true;
		linger(req);
		if (req.listenerCount('error') > 0) emit('error', new BodyTooLargeError(limit));
		// The reader stopped at the error; the rest still has to come off the wire.
		req.resume();
		return false;
	}) as typeof req.emit;
}

/**
 * After a refusal the rest of the body is read and dropped for a moment before the connection
 * is closed (nginx's "lingering close"): closing a socket with unread data resets it, and a
 * client still writing its upload — a browser, or a client that sends the whole body before it
 * reads — would lose the answer it was sent. A client that finishes sending within two seconds
 * keeps its connection; one still sending then is cut off, the answer long delivered. Dropped
 * bytes are never held: the cost is the bandwidth of those two seconds.
 */
const LINGER_MS = 2_000;

function linger(req: IncomingMessage): void {
	const timer = setTimeout(() => req.socket.destroy(), LINGER_MS);
	timer.unref();
	req.once('end', () => clearTimeout(timer));
	req.socket.once('close', () => clearTimeout(timer));
}

/**
 * 413 in the reader's language (the `lang` cookie, else Accept-Language), as hooks.server.ts
 * answers unreadable forms: JSON for `use:enhance` posts, plain text otherwise. The import's
 * own message names its maximum. The answer goes out before any of the body is read; the body
 * is then dropped, not read into memory, and the connection closed (linger).
 */
function refuse(req: IncomingMessage, res: ServerResponse, limit: number, declared: number): void {
	const t = translator(localeOf(req));
	const message = isImportUpload(req.method, req.url)
		? t('import.error.too_large', { mb: IMPORT_LIMITS.maxBytes / 1024 / 1024 })
		: t('error.too_large');
	logger.warn(
		{ status: 413, method: req.method, path: pathOf(req), declared, limit },
		'body: over the limit'
	);
	const action = req.headers['x-sveltekit-action'] === 'true';
	const body = action
		? JSON.stringify({ type: 'error', status: 413, error: { message } })
		: `${message}\n`;
	linger(req);
	req.resume();
	res.writeHead(413, {
		'Content-Type': action ? 'application/json' : 'text/plain; charset=utf-8',
		'Content-Length': Buffer.byteLength(body),
		'X-Content-Type-Options': 'nosniff'
	});
	res.end(body);
}

function localeOf(req: IncomingMessage): Locale {
	const chosen = /(?:^|;\s*)lang=([^;]*)/u.exec(req.headers.cookie ?? '')?.[1];
	return isLocale(chosen) ? chosen : negotiateLocale(req.headers['accept-language'] ?? null);
}

function pathOf(req: IncomingMessage): string {
	return (req.url ?? '').split('?')[0]!;
}
