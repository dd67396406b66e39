/**
 * `npm run db:backup -- <dir>`: an online backup of the instance's database into <dir>, safe
 * while a Yoriai server runs, named by time, verified after writing, and recorded so the admin
 * overview shows it. SQLite: the backup API, not a file copy (src/lib/server/backup/sqlite.ts;
 * BACKUP_STEP_PAGES sets the pages copied per step). PostgreSQL (DATABASE_URL): pg_dump of one
 * snapshot (src/lib/server/backup/postgres.ts). Prints the file and the row counts; exits 1 on
 * any failure.
 */
import { existsSync } from 'node:fs';
import { readConfig } from '../../src/lib/server/config';
import { openDatabase } from '../../src/lib/server/db/open';
import { recordBackupRun } from '../../src/lib/server/backup/runs';
import { backupPostgres } from '../../src/lib/server/backup/postgres';
import { backupSqlite } from '../../src/lib/server/backup/sqlite';

const dir = process.argv[2];
if (!dir) {
	console.error('usage: npm run db:backup -- <directory>');
	process.exit(2);
}
const config = readConfig();
if (!config.databaseUrl && !existsSync(config.databasePath)) {
	console.error(`db:backup: no database at ${config.databasePath}`);
	process.exit(1);
}
// Its own connection to the live database: SQLite's WAL lets it read while the server writes.
const database = await openDatabase(config);
const startedAt = Date.now();
try {
	const r =
		database.dialect === 'sqlite'
			? await backupSqlite(database.sqlite, dir, { stepPages: config.backupStepPages })
			: await backupPostgres(config.databaseUrl!, dir);
	await recordBackupRun(database.db, {
		startedAt,
		finishedAt: Date.now(),
		ok: true,
		file: r.file,
		bytes: r.bytes,
		message: `command line, ${Object.keys(r.counts).length} tables verified`
	});
	console.info(`backup: ${r.file} (${r.bytes} bytes, ${r.ms} ms), verified`);
	for (const [table, n] of Object.entries(r.counts)) console.info(`  ${table}: ${n}`);
} catch (e) {
	const message = e instanceof Error ? e.message : String(e);
	console.error(`db:backup FAILED: ${message}`);
	await recordBackupRun(database.db, {
		startedAt,
		finishedAt: Date.now(),
		ok: false,
		file: '',
		bytes: 0,
		message
	}).catch(() => undefined);
	process.exitCode = 1;
} finally {
	await database.db.destroy();
}
