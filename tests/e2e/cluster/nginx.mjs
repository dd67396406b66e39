import { existsSync } from 'node:fs';

/**
 * The nginx the cluster harness starts as its load balancer: NGINX_PATH, else Debian's
 * /usr/sbin/nginx (not on a normal user's PATH). Returns null when there is none.
 */
export function findNginx() {
	const candidates = [process.env.NGINX_PATH, '/usr/sbin/nginx', '/usr/local/sbin/nginx'];
	for (const c of candidates) if (c && existsSync(c)) return c;
	return null;
}

/** What to do when findNginx() finds nothing. */
export const NGINX_MISSING = [
	'No nginx found for the cluster end-to-end tests (the load balancer in front of three Yoriai processes).',
	'Install Debian’s nginx; the tests start their own, on their own ports, with `daemon off`:',
	'  sudo apt-get update && sudo apt-get install -y nginx',
	'(the package also starts a system nginx on port 80, which the tests do not use:',
	'`sudo systemctl disable --now nginx` stops it), or point NGINX_PATH at an nginx binary.'
].join('\n');
