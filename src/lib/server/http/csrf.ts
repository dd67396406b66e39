/**
 * CSRF-02: Fetch Metadata first, Origin as the fallback. A state-changing request is accepted
 * only when the browser says it came from this same origin (`Sec-Fetch-Site: same-origin`) or,
 * for clients that send no Fetch Metadata, when `Origin` is exactly this origin. A request with
 * neither is refused: every browser sends one of them on a POST. SvelteKit's own origin check
 * stays on as well, for form content types.
 */
export function isCrossSiteWrite(request: Request, origin: string): boolean {
	if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS')
		return false;
	const site = request.headers.get('sec-fetch-site');
	if (site !== null) return site !== 'same-origin';
	return request.headers.get('origin') !== origin;
}

/** AUTH-08: auth forms are small; refuse big bodies before they are read or hashed. */
export const AUTH_BODY_LIMIT = 16 * 1024;
const AUTH_PATHS = ['/login', '/register', '/account', '/logout', '/lang', '/invite', '/reset'];

export function isAuthPath(pathname: string): boolean {
	return AUTH_PATHS.some((p) => pathname === p || pathname.startsWith(`${p}/`));
}
