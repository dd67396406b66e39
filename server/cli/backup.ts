/**
 * `npm run db:backup -- <dir>`: an online backup of DATABASE_PATH into <dir>, safe while a Yoriai
 * server runs (SQLite's backup API, not a file copy; see src/lib/server/backup/sqlite.ts), named
 * by time, verified after writing, and recorded so the admin overview shows it. Prints the file
 * and the row counts; exits 1 on any failure. BACKUP_STEP_PAGES sets the pages copied per step.
 */
import { existsSync } from 'node:fs';
import { readConfig } from '../../src/lib/server/config';
import { createDb } from '../../src/lib/server/db/connect';
import { recordBackupRun } from '../../src/lib/server/backup/runs';
import { backupSqlite } from '../../src/lib/server/backup/sqlite';

const dir = process.argv[2];
if (!dir) {
	console.error('usage: npm run db:backup -- <directory>');
	process.exit(2);
}
const config = readConfig();
if (config.databaseUrl) {
	// PostgreSQL has its own consistent online backups; see the README's "Operating Yoriai".
	console.error(
		'db:backup: this instance runs on PostgreSQL (DATABASE_URL): use pg_dump / pg_restore'
	);
	process.exit(1);
}
if (!existsSync(config.databasePath)) {
	console.error(`db:backup: no database at ${config.databasePath}`);
	process.exit(1);
}
// Its own connection to the live database: WAL lets it read while the server writes.
const { db, sqlite } = createDb(config.databasePath);
const startedAt = Date.now();
try {
	const r = await backupSqlite(sqlite, dir, { stepPages: config.backupStepPages });
	await recordBackupRun(db, {
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
	await recordBackupRun(db, {
		startedAt,
		finishedAt: Date.now(),
		ok: false,
		file: '',
		bytes: 0,
		message
	}).catch(() => undefined);
	process.exitCode = 1;
} finally {
	await db.destroy();
}
