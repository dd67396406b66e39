import { Migrator, type MigrationResultSet } from 'kysely';
import { migrations } from '../../../../migrations/index';
import type { Db } from './connect';
import { dialectOf } from './dialect';
import { PortableSchemaPlugin } from './portable-schema';

/**
 * The one migration runner: used at server start, by the test helpers and by `npm run db:migrate`.
 * On PostgreSQL the migrations see a Kysely that translates SQLite's column types
 * (portable-schema.ts); Kysely's PostgreSQL migrator also takes a lock, so two processes starting
 * at once migrate once.
 */
export function migrator(db: Db): Migrator {
	const target = dialectOf(db) === 'postgres' ? db.withPlugin(new PortableSchemaPlugin()) : db;
	return new Migrator({
		db: target,
		provider: { getMigrations: () => Promise.resolve(migrations) }
	});
}

export async function migrateToLatest(db: Db): Promise<MigrationResultSet> {
	const result = await migrator(db).migrateToLatest();
	if (result.error) {
		const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
		throw new Error(`migration ${failed} failed`, { cause: result.error });
	}
	return result;
}
