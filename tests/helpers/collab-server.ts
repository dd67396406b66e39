import { afterEach } from 'vitest';
import type { CollabLimits } from '../../src/lib/server/collab/index';
import { startTestServer, type TestServer } from './collab';

/**
 * For vitest files that start a fresh server in each test: returns the function that starts it,
 * and closes whichever server the test started once the test ends, pass or fail.
 */
export function serverPerTest(): (limits?: Partial<CollabLimits>) => Promise<TestServer> {
	let current: TestServer | null = null;
	afterEach(async () => {
		await current?.close();
		current = null;
	});
	return async (limits = {}) => (current = await startTestServer(limits));
}
