import type { Kysely } from 'kysely';

/**
 * Reports brought in by curators (issue 17). A draft holds the cleaned text that every quote is
 * cut from, its outline and the candidate items under curation; publishing writes a seed file
 * (`seed_json`) that the library loader reads together with seeds/reports, so an imported report
 * goes through the same validation and tables as a curated seed.
 *
 * Items carry a version each: two curators saving the same item is detected (the second is told
 * and sees the other's change), while saves of different items never collide.
 */
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('report_imports')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('file_name', 'text', (c) => c.notNull())
		.addColumn('format', 'text', (c) => c.notNull())
		.addColumn('encoding', 'text')
		// The cleaned text: quotes are offsets into it, and its slices are the quotes.
		.addColumn('text', 'text', (c) => c.notNull())
		.addColumn('page_starts', 'text', (c) => c.notNull())
		.addColumn('outline', 'text', (c) => c.notNull())
		// Report metadata, in the seed file's terms; JSON of the seed's `report` fields.
		.addColumn('meta', 'text', (c) => c.notNull())
		.addColumn('meta_version', 'integer', (c) => c.notNull().defaultTo(1))
		.addColumn('status', 'text', (c) => c.notNull())
		.addColumn('slug', 'text', (c) => c.unique())
		.addColumn('seed_json', 'text')
		.addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('created_at', 'integer', (c) => c.notNull())
		.addColumn('updated_at', 'integer', (c) => c.notNull())
		.addColumn('published_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('published_at', 'integer')
		.addColumn('retired_at', 'integer')
		.execute();
	await db.schema
		.createIndex('report_imports_status')
		.on('report_imports')
		.column('status')
		.execute();

	await db.schema
		.createTable('report_import_curators')
		.addColumn('import_id', 'text', (c) =>
			c.notNull().references('report_imports.id').onDelete('cascade')
		)
		.addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('added_at', 'integer', (c) => c.notNull())
		.addPrimaryKeyConstraint('report_import_curators_pk', ['import_id', 'user_id'])
		.execute();

	await db.schema
		.createTable('report_import_items')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('import_id', 'text', (c) =>
			c.notNull().references('report_imports.id').onDelete('cascade')
		)
		// The quote is text.slice(start_at, end_at) of the draft: verbatim by construction.
		.addColumn('start_at', 'integer', (c) => c.notNull())
		.addColumn('end_at', 'integer', (c) => c.notNull())
		.addColumn('section', 'integer', (c) => c.notNull())
		.addColumn('kind', 'text', (c) => c.notNull())
		.addColumn('subkind', 'text')
		.addColumn('modality', 'text')
		.addColumn('horizon', 'integer')
		// The rule that proposed it, or `manual` for an item a curator added.
		.addColumn('rule', 'text', (c) => c.notNull())
		.addColumn('status', 'text', (c) => c.notNull())
		.addColumn('title_ja', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('title_en', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('summary_ja', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('themes', 'text', (c) => c.notNull().defaultTo('[]'))
		.addColumn('actors', 'text', (c) => c.notNull().defaultTo('[]'))
		// The library id given at the first publication; never changed after (ids are never reused).
		.addColumn('published_id', 'text')
		.addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
		.addColumn('updated_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('updated_at', 'integer', (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('report_import_items_import')
		.on('report_import_items')
		.columns(['import_id', 'start_at'])
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('report_import_items').execute();
	await db.schema.dropTable('report_import_curators').execute();
	await db.schema.dropTable('report_imports').execute();
}
