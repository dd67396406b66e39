import { sql, type Kysely } from 'kysely';
import { isPostgres } from './dialect';

/**
 * The report library: the five curated reports (seeds/reports/*.json), their outlines and items,
 * and a full-text index over the items.
 *
 * Rows are never deleted by the loader. Boards and decisions refer to item ids, so an item that
 * leaves its seed file is marked retired (`retired_at`) and stays resolvable; the same goes for
 * sections and reports, so a retired item can still show where it came from.
 *
 * Foreign keys between items (parent, link targets) are DEFERRABLE INITIALLY DEFERRED: a seed
 * file may list a child before its parent, and they are checked when the loader's transaction
 * commits.
 */
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('reports')
		.addColumn('slug', 'text', (c) => c.primaryKey())
		// The item and section id prefix; unique so an id names one report.
		.addColumn('prefix', 'text', (c) => c.notNull().unique())
		.addColumn('source', 'text', (c) => c.notNull())
		.addColumn('title_ja', 'text', (c) => c.notNull())
		.addColumn('title_en', 'text', (c) => c.notNull())
		.addColumn('publisher_ja', 'text', (c) => c.notNull())
		.addColumn('publisher_en', 'text', (c) => c.notNull())
		.addColumn('date', 'text', (c) => c.notNull())
		.addColumn('date_note', 'text')
		.addColumn('kind', 'text', (c) => c.notNull())
		.addColumn('summary_ja', 'text', (c) => c.notNull())
		.addColumn('summary_en', 'text', (c) => c.notNull())
		// Hash of the seed content the row was written from: the loader rewrites only on change.
		.addColumn('content_hash', 'text', (c) => c.notNull())
		.addColumn('retired_at', 'integer')
		.execute();

	await db.schema
		.createTable('report_sections')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('report_slug', 'text', (c) => c.notNull().references('reports.slug'))
		.addColumn('parent_id', 'text', (c) =>
			c.references('report_sections.id').modifyEnd(sql`deferrable initially deferred`)
		)
		.addColumn('number', 'text')
		.addColumn('title_ja', 'text', (c) => c.notNull())
		.addColumn('title_en', 'text', (c) => c.notNull())
		// Reading order within the report (the outline's order in the seed file).
		.addColumn('position', 'integer', (c) => c.notNull())
		.addColumn('content_hash', 'text', (c) => c.notNull())
		.addColumn('retired_at', 'integer')
		.execute();
	await db.schema
		.createIndex('report_sections_report')
		.on('report_sections')
		.columns(['report_slug', 'position'])
		.execute();

	await db.schema
		.createTable('items')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('report_slug', 'text', (c) => c.notNull().references('reports.slug'))
		.addColumn('section_id', 'text', (c) => c.notNull().references('report_sections.id'))
		.addColumn('parent_id', 'text', (c) =>
			c.references('items.id').modifyEnd(sql`deferrable initially deferred`)
		)
		.addColumn('kind', 'text', (c) => c.notNull())
		.addColumn('subkind', 'text')
		.addColumn('title_ja', 'text', (c) => c.notNull())
		.addColumn('title_en', 'text', (c) => c.notNull())
		.addColumn('summary_ja', 'text', (c) => c.notNull())
		.addColumn('quote', 'text', (c) => c.notNull())
		.addColumn('horizon', 'integer')
		.addColumn('kpi', 'text')
		.addColumn('modality', 'text')
		.addColumn('position', 'integer', (c) => c.notNull())
		// Covers the row and its themes, actors and links.
		.addColumn('content_hash', 'text', (c) => c.notNull())
		.addColumn('retired_at', 'integer')
		.execute();
	await db.schema
		.createIndex('items_report')
		.on('items')
		.columns(['report_slug', 'position'])
		.execute();
	await db.schema.createIndex('items_section').on('items').column('section_id').execute();
	await db.schema.createIndex('items_parent').on('items').column('parent_id').execute();

	await db.schema
		.createTable('item_themes')
		.addColumn('item_id', 'text', (c) => c.notNull().references('items.id'))
		.addColumn('theme', 'text', (c) => c.notNull())
		// The curator's order: the first theme is the main one.
		.addColumn('position', 'integer', (c) => c.notNull())
		.addPrimaryKeyConstraint('item_themes_pk', ['item_id', 'theme'])
		.execute();
	await db.schema
		.createIndex('item_themes_theme')
		.on('item_themes')
		.columns(['theme', 'item_id'])
		.execute();

	await db.schema
		.createTable('item_actors')
		.addColumn('item_id', 'text', (c) => c.notNull().references('items.id'))
		.addColumn('actor', 'text', (c) => c.notNull())
		// 1 when the report names the actor, 0 when the curator inferred it.
		.addColumn('stated', 'integer', (c) => c.notNull())
		.addColumn('position', 'integer', (c) => c.notNull())
		.addPrimaryKeyConstraint('item_actors_pk', ['item_id', 'actor'])
		.execute();
	await db.schema
		.createIndex('item_actors_actor')
		.on('item_actors')
		.columns(['actor', 'item_id'])
		.execute();

	await db.schema
		.createTable('item_links')
		.addColumn('item_id', 'text', (c) => c.notNull().references('items.id'))
		.addColumn('type', 'text', (c) => c.notNull())
		.addColumn('target_id', 'text', (c) =>
			c
				.notNull()
				.references('items.id')
				.modifyEnd(sql`deferrable initially deferred`)
		)
		.addColumn('basis', 'text', (c) => c.notNull())
		.addColumn('position', 'integer', (c) => c.notNull())
		.addPrimaryKeyConstraint('item_links_pk', ['item_id', 'type', 'target_id'])
		.execute();
	// Links are shown both ways: the reverse direction is looked up by target.
	await db.schema.createIndex('item_links_target').on('item_links').column('target_id').execute();

	// Likely duplicates in other reports, computed at seed time (src/lib/domain/library/related.ts).
	await db.schema
		.createTable('item_related')
		.addColumn('item_id', 'text', (c) => c.notNull().references('items.id'))
		.addColumn('related_id', 'text', (c) => c.notNull().references('items.id'))
		.addColumn('score', 'real', (c) => c.notNull())
		.addPrimaryKeyConstraint('item_related_pk', ['item_id', 'related_id'])
		.execute();

	// Full-text search. The trigram tokenizer matches any substring of three or more characters,
	// which suits Japanese (no word boundaries) and English alike; shorter queries are answered
	// with LIKE over the same columns (src/lib/server/reports/search.ts). The columns hold text
	// folded by src/lib/domain/library/fold.ts, and the query is folded the same way.
	if (isPostgres(db)) {
		// The same table, searched with LIKE through pg_trgm's GIN indexes (which need a UTF-8
		// LC_CTYPE to find trigrams in Japanese: src/lib/server/db/postgres.ts checks it).
		await sql`create extension if not exists pg_trgm`.execute(db);
		await db.schema
			.createTable('items_fts')
			.addColumn('item_id', 'text', (c) => c.notNull())
			.addColumn('title', 'text', (c) => c.notNull())
			.addColumn('body', 'text', (c) => c.notNull())
			.execute();
		await db.schema.createIndex('items_fts_item').on('items_fts').column('item_id').execute();
		await sql`create index items_fts_title_trgm on items_fts using gin (title gin_trgm_ops)`.execute(
			db
		);
		await sql`create index items_fts_body_trgm on items_fts using gin (body gin_trgm_ops)`.execute(
			db
		);
		return;
	}
	await sql`create virtual table items_fts using fts5(
		item_id unindexed,
		title,
		body,
		tokenize = 'trigram'
	)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	await sql`drop table items_fts`.execute(db);
	await db.schema.dropTable('item_related').execute();
	await db.schema.dropTable('item_links').execute();
	await db.schema.dropTable('item_actors').execute();
	await db.schema.dropTable('item_themes').execute();
	await db.schema.dropTable('items').execute();
	await db.schema.dropTable('report_sections').execute();
	await db.schema.dropTable('reports').execute();
}
