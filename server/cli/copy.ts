/**
 * `npm run db:copy -- --from ./data/yoriai.db --to postgres://user@host/db`: moves a whole
 * SQLite instance to an empty PostgreSQL database (src/lib/server/db/copy.ts), verified table by
 * table and board by board before it commits. Holds the SQLite file's process lock, so no server
 * may serve it meanwhile; start the server on PostgreSQL (DATABASE_URL) afterwards.
 */
import { resolve } from 'node:path';
import { createDb } from '../../src/lib/server/db/connect';
import { CopyRefused, copyInstance } from '../../src/lib/server/db/copy';
import {
	createPgDb,
	DatabaseSetupError,
	PG_DEFAULTS,
	redact
} from '../../src/lib/server/db/postgres';
import { lockOrExit } from './lock';

function arg(name: string): string | undefined {
	const i = process.argv.indexOf(`--${name}`);
	return i >= 0 ? process.argv[i + 1] : undefined;
}

const from = arg('from');
const to = arg('to');
if (!from || !to || !/^postgres(ql)?:\/\//u.test(to)) {
	console.error(
		'usage: npm run db:copy -- --from ./data/yoriai.db --to postgres://user@host:5432/db'
	);
	process.exit(2);
}
const path = resolve(from);
const lock = lockOrExit(path, 'db:copy');
const source = createDb(path);
let target;
try {
	target = await createPgDb(to, { ...PG_DEFAULTS, statementTimeoutMs: 0, connectRetryMs: 0 });
} catch (e) {
	console.error(`db:copy: ${e instanceof DatabaseSetupError ? e.message : String(e)}`);
	await source.db.destroy();
	lock.release();
	process.exit(1);
}
const started = Date.now();
console.info(`copying ${path} → ${redact(to)}`);
try {
	const report = await copyInstance(source, target, (line) => console.info(line));
	const rows = report.tables.reduce((a, t) => a + t.rows, 0);
	console.info(
		`done in ${Date.now() - started} ms: ${report.tables.length} tables, ${rows} rows, ` +
			`${report.boards} boards; every table's count and checksum and every board verified`
	);
} catch (e) {
	console.error(
		`db:copy: ${e instanceof CopyRefused ? e.message : String(e)}; nothing was written`
	);
	process.exitCode = 1;
} finally {
	await target.db.destroy();
	await source.db.destroy();
	lock.release();
}
