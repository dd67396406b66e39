import { Migrator, type MigrationResultSet } from 'kysely';
import { migrations } from '../../../../migrations/index';
import type { Db } from './connect';

/** The one migration runner: used at server start, by the test helpers and by `npm run db:migrate`. */
export function migrator(db: Db): Migrator {
	return new Migrator({ db, provider: { getMigrations: () => Promise.resolve(migrations) } });
}

export async function migrateToLatest(db: Db): Promise<MigrationResultSet> {
	const result = await migrator(db).migrateToLatest();
	if (result.error) {
		const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
		throw new Error(`migration ${failed} failed`, { cause: result.error });
	}
	return result;
}
