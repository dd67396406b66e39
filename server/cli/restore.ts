/**
 * `npm run db:restore -- <backup file>`: puts a verified backup back.
 *
 * SQLite: replaces the database at DATABASE_PATH, for a stopped instance only — it refuses (exit
 * 1) while a server, db:migrate or db:seed holds the database. The current files are kept beside
 * it as `<db>.before-restore-<time>*`.
 *
 * PostgreSQL (DATABASE_URL): restores a `.dump` into that database, which must be empty (create a
 * new one; a database a server has used is never empty, so a running instance is never
 * overwritten), in one transaction.
 *
 * Start the server afterwards: it migrates the restored database to this version at start.
 */
import { readConfig } from '../../src/lib/server/config';
import { redact } from '../../src/lib/server/db/postgres';
import { restorePostgres, TargetNotEmptyError } from '../../src/lib/server/backup/postgres';
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
try {
	if (config.databaseUrl) {
		const r = await restorePostgres(file, config.databaseUrl);
		console.info(`restored ${file} into ${redact(config.databaseUrl)}`);
		for (const [table, n] of Object.entries(r.counts)) console.info(`  ${table}: ${n}`);
	} else {
		const r = restoreSqlite(file, config.databasePath);
		console.info(`restored ${file} into ${config.databasePath}`);
		for (const f of r.movedAside) console.info(`  kept the previous file as ${f}`);
		for (const [table, n] of Object.entries(r.counts)) console.info(`  ${table}: ${n}`);
	}
} catch (e) {
	if (
		e instanceof DatabaseInUseError ||
		e instanceof BackupInvalidError ||
		e instanceof TargetNotEmptyError
	) {
		console.error(`db:restore refused: ${e.message}`);
		process.exit(1);
	}
	throw e;
}
