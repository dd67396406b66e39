/**
 * `npm run db:migrate`: brings the database (DATABASE_URL, or DATABASE_PATH, default
 * ./data/yoriai.db) to the
 * latest schema, prints every migration's status, and exits non-zero if one fails. The server
 * migrates at start as well; this is for doing it ahead of a deploy, or to see where a database is.
 * It refuses to run while a Yoriai server serves the database, and no server starts while it runs.
 */
import { readConfig } from '../../src/lib/server/config';
import { migrator } from '../../src/lib/server/db/migrate';
import { describeDatabase } from '../../src/lib/server/db/open';
import { openForTool } from './lock';

const config = readConfig();
// Never under a running server: it would go on with the schema it started with.
const { handle, release } = await openForTool(config, 'db:migrate');
const { db } = handle;
const m = migrator(db);
console.info(`database: ${describeDatabase(config)}`);
try {
	const { error, results = [] } = await m.migrateToLatest();
	const ranNow = new Map(results.map((r) => [r.migrationName, r.status]));
	for (const info of await m.getMigrations()) {
		const status = ranNow.get(info.name);
		const label =
			status === 'Success'
				? 'applied now'
				: status === 'Error'
					? 'FAILED'
					: status === 'NotExecuted'
						? 'not applied (an earlier migration failed)'
						: info.executedAt
							? `applied ${info.executedAt.toISOString()}`
							: 'pending';
		console.info(`  ${info.name}  ${label}`);
	}
	if (error) {
		console.error('migration failed:', error);
		process.exitCode = 1;
	}
} finally {
	await db.destroy();
	release();
}
