import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SeedFile } from '../../src/lib/domain/library/seed-schema';
import { seedLibraryFromDir } from '../../src/lib/server/reports/seed';
import { seedReportsDir } from '../../seeds/paths';
import { tempDb } from './db';

/** A temporary database with the whole library loaded from seeds/reports. */
export async function seededDb() {
	const handle = await tempDb();
	await seedLibraryFromDir(handle.db, seedReportsDir(), Date.now());
	return handle;
}

/** A copy of seeds/reports to edit, with helpers to change one file. */
export function seedCopy() {
	const dir = mkdtempSync(join(tmpdir(), 'yoriai-seeds-'));
	cpSync(seedReportsDir(), dir, { recursive: true });
	const path = (file: string) => join(dir, file);
	return {
		dir,
		read: (file: string) => JSON.parse(readFileSync(path(file), 'utf8')) as SeedFile,
		write: (file: string, content: unknown) =>
			writeFileSync(path(file), typeof content === 'string' ? content : JSON.stringify(content)),
		edit(file: string, change: (seed: SeedFile) => void) {
			const seed = this.read(file);
			change(seed);
			this.write(file, seed);
		},
		cleanup: () => rmSync(dir, { recursive: true, force: true })
	};
}

/** Every row of every library table, in a stable order: to prove a load changed nothing. */
export async function librarySnapshot(db: Awaited<ReturnType<typeof tempDb>>['db']) {
	return {
		reports: await db.selectFrom('reports').selectAll().orderBy('slug').execute(),
		sections: await db.selectFrom('report_sections').selectAll().orderBy('id').execute(),
		items: await db.selectFrom('items').selectAll().orderBy('id').execute(),
		themes: await db
			.selectFrom('item_themes')
			.selectAll()
			.orderBy('item_id')
			.orderBy('theme')
			.execute(),
		actors: await db
			.selectFrom('item_actors')
			.selectAll()
			.orderBy('item_id')
			.orderBy('actor')
			.execute(),
		links: await db
			.selectFrom('item_links')
			.selectAll()
			.orderBy('item_id')
			.orderBy('type')
			.orderBy('target_id')
			.execute(),
		related: await db
			.selectFrom('item_related')
			.selectAll()
			.orderBy('item_id')
			.orderBy('related_id')
			.execute(),
		fts: await db.selectFrom('items_fts').selectAll().orderBy('item_id').execute()
	};
}
