import type { Kysely } from 'kysely';

/**
 * The rest of a seed item's fields in a draft import (issue 17), sections' English titles, and
 * the page an item's quote stands on.
 *
 * - `report_import_items.kpi`, `.parent_item` (row id of another item of the same draft) and
 *   `.links` (JSON: `{ type, target: row id, basis }[]`) are item fields like the others, saved
 *   under the item's version, so two curators never overwrite each other's change unseen.
 * - `report_import_sections` holds a section's English title, one row per section written, with
 *   its own version: two curators translating different sections never collide.
 * - `items.page`: the PDF page of the quote, for imported reports (the curated seeds have none).
 */
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('report_import_items').addColumn('kpi', 'text').execute();
	await db.schema.alterTable('report_import_items').addColumn('parent_item', 'integer').execute();
	await db.schema
		.alterTable('report_import_items')
		.addColumn('links', 'text', (c) => c.notNull().defaultTo('[]'))
		.execute();
	await db.schema
		.createTable('report_import_sections')
		.addColumn('import_id', 'text', (c) =>
			c.notNull().references('report_imports.id').onDelete('cascade')
		)
		// The section's index in the draft's outline.
		.addColumn('section', 'integer', (c) => c.notNull())
		.addColumn('title_en', 'text', (c) => c.notNull())
		.addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
		.addColumn('updated_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('updated_at', 'integer', (c) => c.notNull())
		.addPrimaryKeyConstraint('report_import_sections_pk', ['import_id', 'section'])
		.execute();
	await db.schema.alterTable('items').addColumn('page', 'integer').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('items').dropColumn('page').execute();
	await db.schema.dropTable('report_import_sections').execute();
	await db.schema.alterTable('report_import_items').dropColumn('links').execute();
	await db.schema.alterTable('report_import_items').dropColumn('parent_item').execute();
	await db.schema.alterTable('report_import_items').dropColumn('kpi').execute();
}
