/**
 * `npm run db:seed`: loads the report library from seeds/reports into the database
 * (DATABASE_URL, or DATABASE_PATH, default ./data/yoriai.db), migrating it first. Idempotent: running it again
 * changes nothing unless a seed file changed. Exits non-zero, having changed nothing, when a
 * seed file is invalid. Refuses to run while a Yoriai server serves the database: the server
 * seeds at start, so restarting it is how a running instance picks up new seeds.
 */
import { resolve } from 'node:path';
import { readConfig } from '../../src/lib/server/config';
import { migrateToLatest } from '../../src/lib/server/db/migrate';
import { describeDatabase } from '../../src/lib/server/db/open';
import { describeSeedCounts, seedLibraryFromDir } from '../../src/lib/server/reports/seed';
import { openForTool } from './lock';

const config = readConfig();
const dir = resolve('seeds/reports');
// It migrates first, so it keeps off a running server's database like db:migrate.
const { handle, release } = await openForTool(config, 'db:seed');
const { db } = handle;
try {
	await migrateToLatest(db);
	const counts = await seedLibraryFromDir(db, dir, Date.now());
	console.info(
		`library seeded from ${dir} into ${describeDatabase(config)}: ${describeSeedCounts(counts)}`
	);
} catch (e) {
	console.error(e instanceof Error ? e.message : e);
	process.exitCode = 1;
} finally {
	await db.destroy();
	release();
}
