/**
 * `npm run db:restore -- <backup file>`: replaces the database at DATABASE_PATH with a verified
 * backup, for a stopped instance only — it refuses (exit 1) while a server, db:migrate or db:seed
 * holds the database. The current files are kept beside it as `<db>.before-restore-<time>*`.
 * Start the server afterwards: it migrates the restored database to this version at start.
 */
import { readConfig } from '../../src/lib/server/config';
import {
	BackupInvalidError,
	DatabaseInUseError,
	restoreSqlite
} from '../../src/lib/server/backup/sqlite';

const file = process.argv[2];
if (!file) {
	console.error('usage: npm run db:restore -- <backup file>');
	process.exit(2);
}
const config = readConfig();
if (config.databaseUrl) {
	// PostgreSQL has its own consistent online backups; see the README's "Operating Yoriai".
	console.error(
		'db:restore: this instance runs on PostgreSQL (DATABASE_URL): use pg_dump / pg_restore'
	);
	process.exit(1);
}
try {
	const r = restoreSqlite(file, config.databasePath);
	console.info(`restored ${file} into ${config.databasePath}`);
	for (const f of r.movedAside) console.info(`  kept the previous file as ${f}`);
	for (const [table, n] of Object.entries(r.counts)) console.info(`  ${table}: ${n}`);
} catch (e) {
	if (e instanceof DatabaseInUseError) {
		console.error(`db:restore refused: ${e.message}`);
		process.exit(1);
	}
	if (e instanceof BackupInvalidError) {
		console.error(`db:restore refused: ${e.message}`);
		process.exit(1);
	}
	throw e;
}
