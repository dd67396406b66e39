import type { SeedFile } from '../../domain/library/seed-schema';
import {
	validateSeed,
	validateSeedSet,
	type SeedProblem
} from '../../domain/library/validate-seed';
import type { Db } from '../db/connect';
import { readSeedDir, type LoadedSeed } from '../reports/seed-files';
import { seedLibrary } from '../reports/seed';
import { draftSeed, loadDraft } from './drafts';

/**
 * Publishing an import puts its seed file into the library with the project's seeds: the loader
 * (seedLibrary) takes seeds/reports and every published import together, validates them as one
 * set (no slug, prefix or id claimed twice), writes the tables, and recomputes related items
 * across all reports. Retiring takes the import out of that set, and the loader retires its
 * report and items the way it retires a seed item that left its file.
 */

/** Seed files of the imports published on this instance. */
export async function publishedImportSeeds(db: Db): Promise<LoadedSeed[]> {
	const rows = await db
		.selectFrom('report_imports')
		.select(['id', 'seed_json'])
		.where('status', '=', 'published')
		.orderBy('published_at')
		.execute();
	const out: LoadedSeed[] = [];
	for (const r of rows) {
		if (r.seed_json === null) continue;
		const { seed, problems } = validateSeed(JSON.parse(r.seed_json), null);
		if (seed && problems.length === 0) out.push({ file: `import:${r.id}`, seed });
	}
	return out;
}

export type PublishResult = { ok: true; slug: string } | { ok: false; problems: SeedProblem[] };

export async function publishDraft(
	db: Db,
	draftId: string,
	user: { id: number },
	seedDir: string,
	now: number
): Promise<PublishResult> {
	const draft = await loadDraft(db, draftId);
	if (!draft) return { ok: false, problems: [{ where: 'report', message: 'not found' }] };
	if (draft.status === 'retired')
		return { ok: false, problems: [{ where: 'report', message: 'retired' }] };
	const build = draftSeed(draft);
	if (!build.seed) return { ok: false, problems: build.problems };
	const seed: SeedFile = build.seed;
	const others = (await publishedImportSeeds(db)).filter((f) => f.file !== `import:${draftId}`);
	const files = [...readSeedDir(seedDir), ...others, { file: `import:${draftId}`, seed }];
	const clash = validateSeedSet(files);
	if (clash.length > 0) return { ok: false, problems: clash };

	await db.transaction().execute(async (trx) => {
		await trx
			.updateTable('report_imports')
			.set({
				status: 'published',
				slug: seed.report.slug,
				seed_json: JSON.stringify(seed),
				published_by: user.id,
				published_at: now,
				updated_at: now
			})
			.where('id', '=', draftId)
			.execute();
		for (const [row, id] of build.ids)
			await trx
				.updateTable('report_import_items')
				.set({ published_id: id })
				.where('id', '=', row)
				.execute();
	});
	try {
		await seedLibrary(db, files, now);
	} catch (e) {
		// The library was not changed (one transaction); the draft goes back to what it was.
		await db
			.updateTable('report_imports')
			.set({ status: draft.status, seed_json: null, slug: draft.slug })
			.where('id', '=', draftId)
			.execute();
		throw e;
	}
	return { ok: true, slug: seed.report.slug };
}

export async function retireImport(
	db: Db,
	draftId: string,
	seedDir: string,
	now: number
): Promise<boolean> {
	const row = await db
		.selectFrom('report_imports')
		.select('status')
		.where('id', '=', draftId)
		.executeTakeFirst();
	if (!row || row.status !== 'published') return false;
	await db
		.updateTable('report_imports')
		.set({ status: 'retired', retired_at: now, updated_at: now })
		.where('id', '=', draftId)
		.execute();
	await seedLibrary(db, [...readSeedDir(seedDir), ...(await publishedImportSeeds(db))], now);
	return true;
}

/** The published seed file, formatted as the files in seeds/reports are. */
export async function exportSeed(
	db: Db,
	draftId: string
): Promise<{ slug: string; json: string } | null> {
	const row = await db
		.selectFrom('report_imports')
		.select(['slug', 'seed_json'])
		.where('id', '=', draftId)
		.executeTakeFirst();
	if (!row?.seed_json || !row.slug) return null;
	return { slug: row.slug, json: `${JSON.stringify(JSON.parse(row.seed_json), null, '\t')}\n` };
}
