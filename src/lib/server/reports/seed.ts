import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import type { Insertable } from 'kysely';
import { fold } from '../../domain/library/fold';
import { relatedAcrossGroups } from '../../domain/library/related';
import type { SeedItem, SeedReport, SeedSection } from '../../domain/library/seed-schema';
import type { App } from '../app';
import type { Db } from '../db/connect';
import { underStartupLock } from '../db/startup-lock';
import type {
	ItemActorsTable,
	ItemLinksTable,
	ItemsFtsTable,
	ItemsTable,
	ItemThemesTable,
	ReportSectionsTable,
	ReportsTable
} from '../db/schema';
import { refreshSearchIndex } from './search-dialect';
import { readSeedDir, type LoadedSeed } from './seed-files';
import { logger } from '../log/logger';

/** What one load did to the items (reports and sections are not counted). */
export interface SeedCounts {
	inserted: number;
	/** Items whose content changed (text, vocabulary, links…); reordering alone is not counted. */
	updated: number;
	/** Items that left their seed file in this load (already retired ones are not counted again). */
	retired: number;
	unchanged: number;
}

/**
 * The server's start (server/main.ts, and the dev plugin in vite.config.ts): loads the library
 * from seeds/reports under the working directory when `seedOnStart` is set, so a fresh install
 * has its library without a separate step. An invalid seed file stops the start, loudly: a
 * server quietly running on a stale library is worse.
 */
export async function seedLibraryAtStart(
	app: Pick<App, 'config' | 'db' | 'database' | 'now'>
): Promise<SeedCounts | null> {
	if (!app.config.seedOnStart) return null;
	const dir = resolve('seeds/reports');
	// N processes starting together on PostgreSQL seed one after another: the first writes,
	// the rest find every row unchanged (startup-lock.ts).
	const counts = await underStartupLock(app.database, () =>
		seedLibraryFromDir(app.db, dir, app.now())
	);
	logger.info({ dir }, `library seeded: ${describeSeedCounts(counts)}`);
	return counts;
}

/**
 * Loads the library from the seed files in `dir` (seeds/reports). See seedLibrary.
 * Throws SeedLoadError, changing nothing, when any file is invalid.
 */
export async function seedLibraryFromDir(db: Db, dir: string, now: number): Promise<SeedCounts> {
	// Reports published from imports (issue 17) load with the seeds: left out, they would retire.
	const { publishedImportSeeds } = await import('../library-import/publish');
	return seedLibrary(db, [...readSeedDir(dir), ...(await publishedImportSeeds(db))], now);
}

/**
 * Brings the library tables in line with validated seed files, in one transaction, idempotently:
 *
 * - every row carries a hash of the seed content it was written from; a row whose hash matches
 *   (and which is not retired) is not written at all, so loading the same files again changes no
 *   row, and an edited item is rewritten with its themes, actors, links and search text;
 * - nothing is deleted: an item, section or report that is no longer in the files is marked
 *   retired and stays resolvable by id (boards and decisions refer to it); one that comes back
 *   is un-retired. Ids are never reused (seeds/CURATING.md), so coming back means the same item;
 * - "related across reports" (item_related) is recomputed from all current items and only the
 *   differences are written.
 */
export async function seedLibrary(
	db: Db,
	files: readonly LoadedSeed[],
	now: number
): Promise<SeedCounts> {
	const counts = await db.transaction().execute(async (trx) => {
		for (const { seed } of files) {
			await syncReport(trx, seed.report);
			await syncSections(trx, seed.report.slug, seed.outline, now);
		}
		const counts = await syncItems(trx, files, now);
		await retireMissingReports(trx, new Set(files.map((f) => f.seed.report.slug)), now);
		await syncRelated(trx, files);
		return counts;
	});
	if (counts.inserted + counts.updated + counts.retired > 0) await refreshSearchIndex(db);
	return counts;
}

export function describeSeedCounts(c: SeedCounts): string {
	return `${c.inserted} inserted, ${c.updated} updated, ${c.retired} retired, ${c.unchanged} unchanged`;
}

/** Rows with content hashes, compared with what is stored. */
type Stored = Map<string, { content_hash: string; retired_at: number | null }>;

function hashOf(value: unknown): string {
	return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

/** Whether a row needs writing: absent, changed, or retired but back in the files. */
function verdict(stored: Stored, id: string, hash: string): 'insert' | 'update' | 'unchanged' {
	const row = stored.get(id);
	if (!row) return 'insert';
	return row.content_hash === hash && row.retired_at === null ? 'unchanged' : 'update';
}

async function syncReport(db: Db, report: SeedReport): Promise<void> {
	const content = {
		slug: report.slug,
		prefix: report.prefix,
		source: report.source,
		title_ja: report.title_ja,
		title_en: report.title_en,
		publisher_ja: report.publisher_ja,
		publisher_en: report.publisher_en,
		date: report.date,
		date_note: report.date_note,
		kind: report.kind,
		summary_ja: report.summary_ja,
		summary_en: report.summary_en
	} satisfies Omit<Insertable<ReportsTable>, 'content_hash' | 'retired_at'>;
	const row = { ...content, content_hash: hashOf(content), retired_at: null };
	const stored: Stored = new Map(
		(
			await db
				.selectFrom('reports')
				.select(['slug', 'content_hash', 'retired_at'])
				.where('slug', '=', report.slug)
				.execute()
		).map((r) => [r.slug, r])
	);
	const action = verdict(stored, report.slug, row.content_hash);
	if (action === 'insert') await db.insertInto('reports').values(row).execute();
	if (action === 'update')
		await db.updateTable('reports').set(row).where('slug', '=', report.slug).execute();
}

async function syncSections(
	db: Db,
	reportSlug: string,
	outline: readonly SeedSection[],
	now: number
): Promise<void> {
	const stored: Stored = new Map(
		(
			await db
				.selectFrom('report_sections')
				.select(['id', 'content_hash', 'retired_at'])
				.where('report_slug', '=', reportSlug)
				.execute()
		).map((r) => [r.id, r])
	);
	for (const [position, s] of outline.entries()) {
		const content = {
			id: s.id,
			report_slug: reportSlug,
			parent_id: s.parent,
			number: s.number,
			title_ja: s.title_ja,
			title_en: s.title_en,
			position
		} satisfies Omit<Insertable<ReportSectionsTable>, 'content_hash' | 'retired_at'>;
		const row = { ...content, content_hash: hashOf(content), retired_at: null };
		const action = verdict(stored, s.id, row.content_hash);
		if (action === 'insert') await db.insertInto('report_sections').values(row).execute();
		if (action === 'update')
			await db.updateTable('report_sections').set(row).where('id', '=', s.id).execute();
	}
	const present = new Set(outline.map((s) => s.id));
	const gone = [...stored].filter(([id, r]) => !present.has(id) && r.retired_at === null);
	for (const [id] of gone)
		await db.updateTable('report_sections').set({ retired_at: now }).where('id', '=', id).execute();
}

interface ItemRows {
	item: Insertable<ItemsTable>;
	themes: Insertable<ItemThemesTable>[];
	actors: Insertable<ItemActorsTable>[];
	links: Insertable<ItemLinksTable>[];
	fts: Insertable<ItemsFtsTable>;
}

function itemRows(reportSlug: string, item: SeedItem, position: number): ItemRows {
	const content = {
		id: item.id,
		report_slug: reportSlug,
		section_id: item.section,
		parent_id: item.parent,
		kind: item.kind,
		subkind: item.subkind,
		title_ja: item.title_ja,
		title_en: item.title_en,
		summary_ja: item.summary_ja,
		quote: item.quote,
		horizon: item.horizon,
		kpi: item.kpi,
		modality: item.modality,
		// Only when the seed gives one: the curated seeds have no page, and a `page: null` here
		// would change every stored item's hash (and so rewrite it) for nothing.
		...(item.page !== undefined ? { page: item.page } : {})
	} satisfies Omit<Insertable<ItemsTable>, 'position' | 'content_hash' | 'retired_at'>;
	const themes = item.themes.map((theme, i) => ({ item_id: item.id, theme, position: i }));
	const actors = item.actors.map((a, i) => ({
		item_id: item.id,
		actor: a.actor,
		stated: a.stated ? 1 : 0,
		position: i
	}));
	const links = item.links.map((l, i) => ({
		item_id: item.id,
		type: l.type,
		target_id: l.target,
		basis: l.basis,
		position: i
	}));
	return {
		item: {
			...content,
			position,
			content_hash: hashOf({ content, themes, actors, links }),
			retired_at: null
		},
		themes,
		actors,
		links,
		// What search matches (folded: see fold.ts). Titles are kept apart from the rest so that
		// ranking can weigh a hit in the title more.
		fts: {
			item_id: item.id,
			title: fold(`${item.title_ja}\n${item.title_en}`),
			body: fold([item.summary_ja, item.quote, item.kpi ?? ''].join('\n'))
		}
	};
}

/** SQLite caps the number of bound parameters per statement; stay far below it. */
const CHUNK = 100;

function chunks<T>(rows: readonly T[]): T[][] {
	const out: T[][] = [];
	for (let i = 0; i < rows.length; i += CHUNK) out.push(rows.slice(i, i + CHUNK));
	return out;
}

async function syncItems(db: Db, files: readonly LoadedSeed[], now: number): Promise<SeedCounts> {
	const storedRows = await db
		.selectFrom('items')
		.select(['id', 'content_hash', 'retired_at', 'position'])
		.execute();
	const stored: Stored = new Map(storedRows.map((r) => [r.id, r]));
	const positions = new Map(storedRows.map((r) => [r.id, r.position]));
	const counts: SeedCounts = { inserted: 0, updated: 0, retired: 0, unchanged: 0 };
	const inserts: ItemRows[] = [];
	const updates: ItemRows[] = [];
	const moves: { id: string; position: number }[] = [];
	const present = new Set<string>();
	for (const { seed } of files) {
		for (const [position, item] of seed.items.entries()) {
			present.add(item.id);
			const rows = itemRows(seed.report.slug, item, position);
			const action = verdict(stored, item.id, rows.item.content_hash);
			if (action === 'insert') inserts.push(rows);
			else if (action === 'update') updates.push(rows);
			else {
				counts.unchanged++;
				// Reading order is not content: an item shifted by one added or removed before it
				// has its position rewritten but is not counted as updated.
				if (positions.get(item.id) !== position) moves.push({ id: item.id, position });
			}
		}
	}
	counts.inserted = inserts.length;
	counts.updated = updates.length;

	for (const rows of updates) {
		await db.updateTable('items').set(rows.item).where('id', '=', rows.item.id).execute();
	}
	for (const { id, position } of moves) {
		await db.updateTable('items').set({ position }).where('id', '=', id).execute();
	}
	// An updated item's themes, actors, links and search text are replaced whole.
	for (const batch of chunks(updates.map((r) => r.item.id))) {
		await db.deleteFrom('item_themes').where('item_id', 'in', batch).execute();
		await db.deleteFrom('item_actors').where('item_id', 'in', batch).execute();
		await db.deleteFrom('item_links').where('item_id', 'in', batch).execute();
		await db.deleteFrom('items_fts').where('item_id', 'in', batch).execute();
	}
	for (const batch of chunks(inserts.map((r) => r.item))) {
		await db.insertInto('items').values(batch).execute();
	}
	const written = [...inserts, ...updates];
	for (const batch of chunks(written.flatMap((r) => r.themes)))
		await db.insertInto('item_themes').values(batch).execute();
	for (const batch of chunks(written.flatMap((r) => r.actors)))
		await db.insertInto('item_actors').values(batch).execute();
	for (const batch of chunks(written.flatMap((r) => r.links)))
		await db.insertInto('item_links').values(batch).execute();
	for (const batch of chunks(written.map((r) => r.fts)))
		await db.insertInto('items_fts').values(batch).execute();

	const gone = [...stored].filter(([id, r]) => !present.has(id) && r.retired_at === null);
	for (const batch of chunks(gone.map(([id]) => id))) {
		await db.updateTable('items').set({ retired_at: now }).where('id', 'in', batch).execute();
	}
	counts.retired = gone.length;
	return counts;
}

async function retireMissingReports(db: Db, present: Set<string>, now: number): Promise<void> {
	const active = await db
		.selectFrom('reports')
		.select('slug')
		.where('retired_at', 'is', null)
		.execute();
	const gone = active.map((r) => r.slug).filter((slug) => !present.has(slug));
	if (gone.length === 0) return;
	await db.updateTable('reports').set({ retired_at: now }).where('slug', 'in', gone).execute();
	await db
		.updateTable('report_sections')
		.set({ retired_at: now })
		.where('report_slug', 'in', gone)
		.where('retired_at', 'is', null)
		.execute();
}

async function syncRelated(db: Db, files: readonly LoadedSeed[]): Promise<void> {
	const related = relatedAcrossGroups(
		files.flatMap(({ seed }) =>
			seed.items.map((item) => ({
				id: item.id,
				group: seed.report.slug,
				text: [item.title_ja, item.summary_ja, item.quote].join('\n'),
				themes: item.themes
			}))
		)
	);
	const wanted = new Map<string, number>();
	for (const [id, list] of related) for (const r of list) wanted.set(`${id} ${r.id}`, r.score);

	const stored = await db.selectFrom('item_related').selectAll().execute();
	for (const row of stored) {
		const key = `${row.item_id} ${row.related_id}`;
		if (wanted.get(key) === row.score) {
			wanted.delete(key);
			continue;
		}
		await db
			.deleteFrom('item_related')
			.where('item_id', '=', row.item_id)
			.where('related_id', '=', row.related_id)
			.execute();
	}
	const rows = [...wanted].map(([key, score]) => {
		const [item_id = '', related_id = ''] = key.split(' ');
		return { item_id, related_id, score };
	});
	for (const batch of chunks(rows)) await db.insertInto('item_related').values(batch).execute();
}
