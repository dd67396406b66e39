import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where the end-to-end servers run; shared by the Playwright config and the fixtures. */
const port = Number(process.env.E2E_PORT ?? 4173);
export const E2E = {
	port,
	throttlePort: port + 1,
	baseURL: `http://localhost:${port}`,
	throttleURL: `http://localhost:${port + 1}`,
	dataDir: join(tmpdir(), `yoriai-e2e-${port}`),
	/** Set by playwright.postgres.config.ts: the servers run on this PostgreSQL database. */
	databaseUrl: process.env.E2E_DATABASE_URL || null
};
