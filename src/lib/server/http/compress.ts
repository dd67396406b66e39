import compression from 'compression';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { constants } from 'node:zlib';
import { BOARD_STATE_TYPE } from '../../collab/board-state';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Server-rendered pages and `__data.json` compressed on the fly, negotiated by Accept-Encoding
 * (brotli, else gzip, else none). A board page of 250 cards is about 800 KB of HTML and well
 * under 100 KB compressed, which is what a phone on venue Wi-Fi needs.
 *
 * - Brotli at quality 4 (the package's default, stated here on purpose): about as fast as gzip
 *   level 6 while smaller; the higher qualities cost tens of milliseconds per page, which a
 *   busy room would pay on every navigation.
 * - Files under `/_app/immutable/` are compressed once at build time (adapter-node's
 *   `precompress`) and served as `.br`/`.gz` with a one-year immutable cache: they already carry
 *   Content-Encoding, which the middleware leaves alone.
 * - Streamed page data (`text/sveltekit-data`) and event streams are not compressed: the
 *   compressor would hold each chunk back until the end, defeating the streaming.
 * - A board's state for the page's first sync (BOARD_STATE_TYPE, a Yjs update) is compressed
 *   too: its card texts shrink to about a fifth, as the page's do.
 * - Responses under 1 KB are sent as they are (compressing them saves nothing on the wire).
 */
const middleware = compression({
	threshold: 1024,
	brotli: { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } },
	filter(req, res) {
		const type = String(res.getHeader('Content-Type') ?? '');
		if (/^text\/(sveltekit-data|event-stream)/u.test(type)) return false;
		if (type === BOARD_STATE_TYPE) return true;
		return compression.filter(req, res);
	}
});

/** Wraps a Node request handler so its responses are compressed as described above. */
export function withCompression(handler: Handler): Handler {
	return (req, res) => {
		middleware(req as never, res as never, () => handler(req, res));
	};
}
