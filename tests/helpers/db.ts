import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDb, type DbHandle } from '../../src/lib/server/db/connect';
import { migrateToLatest } from '../../src/lib/server/db/migrate';

/** A real SQLite file in a fresh temporary folder, migrated to the latest schema. */
export async function tempDb(): Promise<DbHandle & { path: string; cleanup: () => Promise<void> }> {
	const dir = mkdtempSync(join(tmpdir(), 'yoriai-unit-'));
	const path = join(dir, 'test.db');
	const handle = createDb(path);
	await migrateToLatest(handle.db);
	return {
		...handle,
		path,
		cleanup: async () => {
			await handle.db.destroy();
			rmSync(dir, { recursive: true, force: true });
		}
	};
}
