/**
 * EXP-06: `Content-Disposition` for a download. The plain `filename` is ASCII only (letters,
 * digits, dot, dash, underscore) for old clients; `filename*` (RFC 6266 / RFC 8187) carries the
 * readable name — the board title, in Japanese — percent-encoded as UTF-8, after removing what
 * could break the header or a file system: control characters, quotes, `;`, `/`, `\`, and more
 * than 80 characters.
 */
// Control characters are matched on purpose: they must never reach a header.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f"';:/\\<>|?*%]/gu;
const MAX_CHARS = 80;

export function safeFileTitle(title: string): string {
	const cleaned = title.replace(UNSAFE, ' ').replace(/\s+/gu, ' ').trim();
	return [...cleaned].slice(0, MAX_CHARS).join('').trim();
}

/** RFC 8187 attr-char: everything else is %XX of its UTF-8 bytes. */
function encodeExtValue(s: string): string {
	return encodeURIComponent(s).replace(
		/['()*]/gu,
		(c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`
	);
}

export function contentDisposition(
	asciiName: string,
	title: string,
	suffix: string,
	ext: string
): string {
	const ascii = `${asciiName.replace(/[^A-Za-z0-9._-]/gu, '_')}.${ext}`;
	const readable = safeFileTitle(`${title} ${suffix}`);
	const full = readable ? `${readable}.${ext}` : ascii;
	return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeExtValue(full)}`;
}
