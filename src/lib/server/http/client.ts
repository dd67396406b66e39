import type { RequestEvent } from '@sveltejs/kit';

/**
 * AUTH-07: the client address comes from adapter-node, which trusts a forwarded header only when
 * ADDRESS_HEADER / XFF_DEPTH are configured; a raw X-Forwarded-For is otherwise ignored.
 */
export function clientIp(event: Pick<RequestEvent, 'getClientAddress'>): string {
	try {
		return event.getClientAddress();
	} catch {
		return 'unknown';
	}
}
