import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { createHash, randomBytes } from 'node:crypto';
import type { Candidate } from '../../domain/library/import-candidates';
import {
	checkRelations,
	type DraftLink,
	type RelationProblem
} from '../../domain/library/import-relations';
import {
	buildImportSeed,
	type ImportItem,
	type ImportMeta,
	type ImportSection,
	type SeedActor,
	type SeedBuild
} from '../../domain/library/import-seed';
import type { SeedProblem } from '../../domain/library/validate-seed';
import {
	ACTORS,
	ITEM_KINDS,
	THEMES,
	type ItemKind,
	type ThemeKey
} from '../../domain/library/vocabulary';
import { hasControlChars } from '../../domain/text';
import type { Db } from '../db/connect';
import type { SourceAnalysis } from './analyse';

/**
 * Draft imports (issue 17): created from an analysed file, curated item by item, visible only to
 * their curators. Every change to an item names the version it was made on; a change made on an
 * older version is refused as a conflict (another curator saved that item first) and the page
 * shows the current item — saves of different items never get in each other's way.
 */

export interface DraftSummary {
	id: string;
	file_name: string;
	title: string;
	status: 'draft' | 'published' | 'retired';
	slug: string | null;
	created_at: number;
	updated_at: number;
	created_by_name: string | null;
	published_by_name: string | null;
	published_at: number | null;
	counts: { candidate: number; accepted: number; rejected: number };
}

export interface Draft {
	id: string;
	file_name: string;
	format: string;
	encoding: string | null;
	text: string;
	pageStarts: number[];
	outline: ImportSection[];
	/** Version of each section's English title row (0: not written yet), by section index. */
	sectionVersions: number[];
	meta: ImportMeta;
	metaVersion: number;
	status: 'draft' | 'published' | 'retired';
	slug: string | null;
	items: DraftItem[];
	curators: { id: number; name: string }[];
}

export interface DraftItem extends ImportItem {
	rule: string;
	version: number;
	quote: string;
	updated_by_name: string | null;
}

type User = { id: number; is_admin: number };

function newDraftId(): string {
	return encodeBase32LowerCaseNoPadding(randomBytes(10));
}

/** The draft's source name in seed terms: a hash of its text, like the seeds' source files. */
export function importSourceName(text: string): string {
	return `900_${createHash('sha256').update(text).digest('hex').slice(0, 16)}.txt`;
}

function defaultMeta(fileName: string): ImportMeta {
	const title = fileName.replace(/\.[A-Za-z0-9]+$/u, '').slice(0, 300) || fileName;
	return {
		slug: '',
		title_ja: title,
		title_en: '',
		publisher_ja: '',
		publisher_en: '',
		date: '',
		date_note: null,
		kind: 'ministry_report',
		summary_ja: '',
		summary_en: ''
	};
}

export async function createDraft(
	db: Db,
	user: { id: number },
	fileName: string,
	analysis: SourceAnalysis,
	now: number
): Promise<string> {
	const id = newDraftId();
	// English titles are not part of the stored outline: each is a versioned row of its own.
	const outline: Omit<ImportSection, 'title_en'>[] = analysis.outline.map((s) => ({
		parent: s.parent,
		number: s.number,
		title: s.title,
		start: s.start,
		end: s.end,
		depth: s.depth
	}));
	await db.transaction().execute(async (trx) => {
		await trx
			.insertInto('report_imports')
			.values({
				id,
				file_name: fileName,
				format: analysis.format,
				encoding: analysis.encoding,
				text: analysis.text,
				page_starts: JSON.stringify(analysis.pageStarts),
				outline: JSON.stringify(outline),
				meta: JSON.stringify(defaultMeta(fileName)),
				status: 'draft',
				slug: null,
				seed_json: null,
				created_by: user.id,
				created_at: now,
				updated_at: now,
				published_by: null,
				published_at: null,
				retired_at: null
			})
			.execute();
		await trx
			.insertInto('report_import_curators')
			.values({ import_id: id, user_id: user.id, added_at: now })
			.execute();
		// In batches: the largest report has hundreds of candidates, and PostgreSQL caps parameters.
		const rows = analysis.candidates.map((c: Candidate) => ({
			import_id: id,
			start_at: c.start,
			end_at: c.end,
			section: c.section,
			kind: c.kind,
			subkind: c.subkind,
			modality: c.modality,
			horizon: c.horizon,
			rule: c.rule,
			status: 'candidate' as const,
			published_id: null,
			updated_by: null,
			updated_at: now
		}));
		for (let i = 0; i < rows.length; i += 200)
			await trx
				.insertInto('report_import_items')
				.values(rows.slice(i, i + 200))
				.execute();
	});
	return id;
}

/** Whether `user` may see and curate the draft: its curators, and administrators. */
export async function mayCurate(db: Db, id: string, user: User): Promise<boolean> {
	if (user.is_admin === 1) {
		const row = await db
			.selectFrom('report_imports')
			.select('id')
			.where('id', '=', id)
			.executeTakeFirst();
		return row !== undefined;
	}
	const row = await db
		.selectFrom('report_import_curators')
		.select('user_id')
		.where('import_id', '=', id)
		.where('user_id', '=', user.id)
		.executeTakeFirst();
	return row !== undefined;
}

export async function addCurator(db: Db, id: string, userId: number, now: number): Promise<void> {
	await db
		.insertInto('report_import_curators')
		.values({ import_id: id, user_id: userId, added_at: now })
		.onConflict((oc) => oc.columns(['import_id', 'user_id']).doNothing())
		.execute();
}

/** Drafts the user curates (all, for an administrator), and every published or retired import. */
export async function listImports(db: Db, user: User | null): Promise<DraftSummary[]> {
	let q = db
		.selectFrom('report_imports as r')
		.leftJoin('users as c', 'c.id', 'r.created_by')
		.leftJoin('users as p', 'p.id', 'r.published_by')
		.select([
			'r.id',
			'r.file_name',
			'r.meta',
			'r.status',
			'r.slug',
			'r.created_at',
			'r.updated_at',
			'r.published_at',
			'c.display_name as created_by_name',
			'p.display_name as published_by_name'
		])
		.orderBy('r.updated_at', 'desc');
	if (user === null) q = q.where('r.status', '!=', 'draft');
	else if (user.is_admin !== 1)
		q = q.where((eb) =>
			eb.or([
				eb('r.status', '!=', 'draft'),
				eb(
					'r.id',
					'in',
					eb.selectFrom('report_import_curators').select('import_id').where('user_id', '=', user.id)
				)
			])
		);
	const rows = await q.execute();
	const counts = await db
		.selectFrom('report_import_items')
		.select(['import_id', 'status', (eb) => eb.fn.countAll<number>().as('n')])
		.groupBy(['import_id', 'status'])
		.execute();
	return rows.map((r) => {
		const c = { candidate: 0, accepted: 0, rejected: 0 };
		for (const x of counts) if (x.import_id === r.id) c[x.status] = Number(x.n);
		const meta = JSON.parse(r.meta) as ImportMeta;
		return {
			id: r.id,
			file_name: r.file_name,
			title: meta.title_ja,
			status: r.status,
			slug: r.slug,
			created_at: Number(r.created_at),
			updated_at: Number(r.updated_at),
			created_by_name: r.created_by_name,
			published_by_name: r.published_by_name,
			published_at: r.published_at === null ? null : Number(r.published_at),
			counts: c
		};
	});
}

export async function loadDraft(db: Db, id: string): Promise<Draft | null> {
	const r = await db
		.selectFrom('report_imports')
		.selectAll()
		.where('id', '=', id)
		.executeTakeFirst();
	if (!r) return null;
	const items = await db
		.selectFrom('report_import_items as i')
		.leftJoin('users as u', 'u.id', 'i.updated_by')
		.selectAll('i')
		.select('u.display_name as updated_by_name')
		.where('i.import_id', '=', id)
		.orderBy('i.start_at')
		.orderBy('i.id')
		.execute();
	const titles = await db
		.selectFrom('report_import_sections')
		.select(['section', 'title_en', 'version'])
		.where('import_id', '=', id)
		.execute();
	const written = new Map(titles.map((t) => [Number(t.section), t]));
	const outline = (JSON.parse(r.outline) as Omit<ImportSection, 'title_en'>[]).map((s, i) => ({
		...s,
		title_en: written.get(i)?.title_en ?? ''
	}));
	const curators = await db
		.selectFrom('report_import_curators as c')
		.innerJoin('users as u', 'u.id', 'c.user_id')
		.select(['u.id', 'u.display_name as name'])
		.where('c.import_id', '=', id)
		.orderBy('c.added_at')
		.execute();
	return {
		id: r.id,
		file_name: r.file_name,
		format: r.format,
		encoding: r.encoding,
		text: r.text,
		pageStarts: JSON.parse(r.page_starts) as number[],
		outline,
		sectionVersions: outline.map((_, i) => Number(written.get(i)?.version ?? 0)),
		meta: JSON.parse(r.meta) as ImportMeta,
		metaVersion: Number(r.meta_version),
		status: r.status,
		slug: r.slug,
		curators: curators.map((c) => ({ id: Number(c.id), name: c.name })),
		items: items.map((i) => ({
			id: Number(i.id),
			start: Number(i.start_at),
			end: Number(i.end_at),
			section: Number(i.section),
			kind: i.kind,
			subkind: i.subkind,
			modality: i.modality,
			horizon: i.horizon === null ? null : Number(i.horizon),
			status: i.status,
			title_ja: i.title_ja,
			title_en: i.title_en,
			summary_ja: i.summary_ja,
			themes: JSON.parse(i.themes) as ThemeKey[],
			actors: JSON.parse(i.actors) as SeedActor[],
			kpi: i.kpi,
			parent: i.parent_item === null ? null : Number(i.parent_item),
			links: JSON.parse(i.links) as DraftLink[],
			published_id: i.published_id,
			rule: i.rule,
			version: Number(i.version),
			quote: r.text.slice(Number(i.start_at), Number(i.end_at)),
			updated_by_name: i.updated_by_name
		}))
	};
}

export type ChangeResult =
	| { ok: true }
	| {
			ok: false;
			reason: 'conflict' | 'not_found' | 'not_verbatim' | 'invalid' | 'published';
			/** Which rule an `invalid` change broke, when it is one the page can name. */
			problem?: RelationProblem | 'sectionTitle';
	  };

export interface ItemPatch {
	status?: 'candidate' | 'accepted' | 'rejected';
	kind?: ItemKind;
	subkind?: string | null;
	/** The KPI or target text; null clears it. */
	kpi?: string | null;
	/** Row id of the parent item in the same draft; null: none. */
	parent?: number | null;
	/** The item's links, all of them (a save replaces the list). */
	links?: DraftLink[];
	title_ja?: string;
	title_en?: string;
	summary_ja?: string;
	themes?: string[];
	actors?: { actor: string; stated: boolean }[];
	/** A new quote: must be a verbatim substring of the draft's text. */
	quote?: string;
}

/**
 * Where `quote` lies in `text`: the occurrence nearest to `near`, or null when the text does not
 * hold it verbatim. Leading and trailing spaces are not part of a quote.
 */
export function locateVerbatim(
	text: string,
	quote: string,
	near: number
): { start: number; end: number } | null {
	const q = quote.trim();
	if (q === '') return null;
	let best: number | null = null;
	for (let at = text.indexOf(q); at >= 0; at = text.indexOf(q, at + 1))
		if (best === null || Math.abs(at - near) < Math.abs(best - near)) best = at;
	return best === null ? null : { start: best, end: best + q.length };
}

const TEXT_MAX = { title_ja: 80, title_en: 160, summary_ja: 400 } as const;

function checkPatch(p: ItemPatch): boolean {
	if (p.kind !== undefined && !(p.kind in ITEM_KINDS)) return false;
	for (const k of ['title_ja', 'title_en', 'summary_ja'] as const) {
		const v = p[k];
		if (v !== undefined && (v.length > TEXT_MAX[k] || hasControlChars(v))) return false;
	}
	if (p.themes && (p.themes.length > 6 || p.themes.some((t) => !(t in THEMES)))) return false;
	if (p.actors && (p.actors.length > 8 || p.actors.some((a) => !(a.actor in ACTORS)))) return false;
	return true;
}

async function draftText(
	db: Db,
	id: string
): Promise<{ text: string; status: string; outline: Omit<ImportSection, 'title_en'>[] } | null> {
	const r = await db
		.selectFrom('report_imports')
		.select(['text', 'status', 'outline'])
		.where('id', '=', id)
		.executeTakeFirst();
	return r
		? {
				text: r.text,
				status: r.status,
				outline: JSON.parse(r.outline) as Omit<ImportSection, 'title_en'>[]
			}
		: null;
}

function sectionAtOffset(outline: readonly { start: number }[], at: number): number {
	let found = 0;
	outline.forEach((s, i) => {
		if (s.start <= at) found = i;
	});
	return found;
}

/** Changes one item if it is still at `version`; a quote change must stay verbatim. */
export async function updateItem(
	db: Db,
	draftId: string,
	itemId: number,
	version: number,
	patch: ItemPatch,
	user: { id: number },
	now: number
): Promise<ChangeResult> {
	if (!checkPatch(patch)) return { ok: false, reason: 'invalid' };
	// One transaction: the relations are checked against the draft's items as they are when the
	// change is written. Two curators each giving an item the other as its parent would otherwise
	// both pass the check and together make a loop.
	return db.transaction().execute(async (trx) => {
		const draft = await draftText(trx, draftId);
		if (!draft) return { ok: false, reason: 'not_found' };
		const item = await trx
			.selectFrom('report_import_items')
			.select(['start_at', 'version', 'kind', 'links'])
			.where('id', '=', itemId)
			.where('import_id', '=', draftId)
			.executeTakeFirst();
		if (!item) return { ok: false, reason: 'not_found' };
		// The seed checks on subkind, KPI, parent and links, against the draft's other items.
		const others = await trx
			.selectFrom('report_import_items')
			.select(['id', 'kind', 'parent_item'])
			.where('import_id', '=', draftId)
			.execute();
		const kind = patch.kind ?? item.kind;
		const problem = checkRelations(
			{ id: itemId, kind },
			// A kind change re-checks the links the item keeps ("addresses" depends on the kind).
			{
				...patch,
				links: patch.links ?? (patch.kind ? (JSON.parse(item.links) as DraftLink[]) : undefined)
			},
			others.map((o) => ({
				id: Number(o.id),
				kind: o.kind,
				parent: o.parent_item === null ? null : Number(o.parent_item)
			}))
		);
		if (problem) return { ok: false, reason: 'invalid', problem };
		const set: Record<string, unknown> = {};
		if (patch.quote !== undefined) {
			const at = locateVerbatim(draft.text, patch.quote, Number(item.start_at));
			if (!at) return { ok: false, reason: 'not_verbatim' };
			set.start_at = at.start;
			set.end_at = at.end;
			set.section = sectionAtOffset(draft.outline, at.start);
		}
		for (const k of [
			'status',
			'kind',
			'subkind',
			'kpi',
			'title_ja',
			'title_en',
			'summary_ja'
		] as const)
			if (patch[k] !== undefined) set[k] = patch[k];
		if (patch.parent !== undefined) set.parent_item = patch.parent;
		if (patch.links !== undefined) set.links = JSON.stringify(patch.links);
		// A kind change leaves a subkind of the old kind behind: clear it unless one was given.
		if (patch.kind !== undefined && patch.kind !== item.kind && patch.subkind === undefined)
			set.subkind = null;
		if (patch.themes) set.themes = JSON.stringify([...new Set(patch.themes)]);
		if (patch.actors) set.actors = JSON.stringify(patch.actors);
		const res = await trx
			.updateTable('report_import_items')
			.set({ ...set, version: version + 1, updated_by: user.id, updated_at: now })
			.where('id', '=', itemId)
			.where('import_id', '=', draftId)
			.where('version', '=', version)
			.executeTakeFirst();
		if (Number(res.numUpdatedRows) === 0) return { ok: false, reason: 'conflict' };
		await touch(trx, draftId, now);
		return { ok: true };
	});
}

async function touch(db: Db, draftId: string, now: number) {
	await db
		.updateTable('report_imports')
		.set({ updated_at: now })
		.where('id', '=', draftId)
		.execute();
}

/** An item the rules missed: the curator selected (or pasted) its text. */
export async function addItem(
	db: Db,
	draftId: string,
	quote: string,
	near: number,
	kind: ItemKind,
	user: { id: number },
	now: number
): Promise<ChangeResult & { itemId?: number }> {
	if (!(kind in ITEM_KINDS)) return { ok: false, reason: 'invalid' };
	const draft = await draftText(db, draftId);
	if (!draft) return { ok: false, reason: 'not_found' };
	const at = locateVerbatim(draft.text, quote, near);
	if (!at) return { ok: false, reason: 'not_verbatim' };
	const row = await db
		.insertInto('report_import_items')
		.values({
			import_id: draftId,
			start_at: at.start,
			end_at: at.end,
			section: sectionAtOffset(draft.outline, at.start),
			kind,
			subkind: null,
			modality: null,
			horizon: null,
			rule: 'manual',
			status: 'accepted',
			published_id: null,
			updated_by: user.id,
			updated_at: now
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	await touch(db, draftId, now);
	return { ok: true, itemId: Number(row.id) };
}

/**
 * Merges items into the first: its quote runs from the earliest start to the latest end (the
 * text between comes along, verbatim); the others are removed. Every item must be at its version.
 */
export async function mergeItems(
	db: Db,
	draftId: string,
	versions: ReadonlyMap<number, number>,
	user: { id: number },
	now: number
): Promise<ChangeResult> {
	if (versions.size < 2) return { ok: false, reason: 'invalid' };
	return db.transaction().execute(async (trx) => {
		const rows = await trx
			.selectFrom('report_import_items')
			.select(['id', 'start_at', 'end_at', 'version', 'published_id'])
			.where('import_id', '=', draftId)
			.where('id', 'in', [...versions.keys()])
			.orderBy('start_at')
			.execute();
		if (rows.length !== versions.size) return { ok: false, reason: 'not_found' } as const;
		if (rows.some((r) => Number(r.version) !== versions.get(Number(r.id))))
			return { ok: false, reason: 'conflict' } as const;
		// A published item keeps its id: it cannot be merged away.
		if (rows.slice(1).some((r) => r.published_id !== null))
			return { ok: false, reason: 'published' } as const;
		const first = rows[0]!;
		await trx
			.updateTable('report_import_items')
			.set({
				end_at: Math.max(...rows.map((r) => Number(r.end_at))),
				version: Number(first.version) + 1,
				updated_by: user.id,
				updated_at: now
			})
			.where('id', '=', first.id)
			.execute();
		const gone = new Set(rows.slice(1).map((r) => Number(r.id)));
		await trx
			.deleteFrom('report_import_items')
			.where('id', 'in', [...gone])
			.execute();
		await repointTo(trx, draftId, gone, Number(first.id), user, now);
		await touch(trx, draftId, now);
		return { ok: true } as const;
	});
}

/**
 * After a merge: parents and links that named a merged-away item name the item it went into
 * (a link or parent that would then point at itself is dropped). Each changed item gets a new
 * version, so a curator still editing it is told rather than overwriting the change.
 */
async function repointTo(
	db: Db,
	draftId: string,
	gone: ReadonlySet<number>,
	into: number,
	user: { id: number },
	now: number
): Promise<void> {
	const rows = await db
		.selectFrom('report_import_items')
		.select(['id', 'parent_item', 'links', 'version'])
		.where('import_id', '=', draftId)
		.execute();
	for (const r of rows) {
		const id = Number(r.id);
		const to = (target: number) => (gone.has(target) ? into : target);
		const parent = r.parent_item === null ? null : to(Number(r.parent_item));
		const links = JSON.parse(r.links) as DraftLink[];
		const moved = links
			.map((l) => ({ ...l, target: to(l.target) }))
			.filter(
				(l, i, all) =>
					l.target !== id && all.findIndex((m) => m.target === l.target && m.type === l.type) === i
			);
		const newParent = parent === id ? null : parent;
		if (
			newParent === (r.parent_item === null ? null : Number(r.parent_item)) &&
			JSON.stringify(moved) === r.links
		)
			continue;
		await db
			.updateTable('report_import_items')
			.set({
				parent_item: newParent,
				links: JSON.stringify(moved),
				version: Number(r.version) + 1,
				updated_by: user.id,
				updated_at: now
			})
			.where('id', '=', id)
			.execute();
	}
}

/**
 * Splits an item before the first occurrence of `before` in its quote: the first part keeps the
 * item, the second becomes a new item of the same kind and status.
 */
export async function splitItem(
	db: Db,
	draftId: string,
	itemId: number,
	version: number,
	before: string,
	user: { id: number },
	now: number
): Promise<ChangeResult> {
	const draft = await draftText(db, draftId);
	if (!draft) return { ok: false, reason: 'not_found' };
	return db.transaction().execute(async (trx) => {
		const item = await trx
			.selectFrom('report_import_items')
			.selectAll()
			.where('id', '=', itemId)
			.where('import_id', '=', draftId)
			.executeTakeFirst();
		if (!item) return { ok: false, reason: 'not_found' } as const;
		if (Number(item.version) !== version) return { ok: false, reason: 'conflict' } as const;
		const quote = draft.text.slice(Number(item.start_at), Number(item.end_at));
		const b = before.trim();
		const cut = b === '' ? -1 : quote.indexOf(b, 1);
		if (cut <= 0) return { ok: false, reason: 'not_verbatim' } as const;
		const at = Number(item.start_at) + cut;
		const head = draft.text.slice(Number(item.start_at), at).trimEnd();
		await trx
			.updateTable('report_import_items')
			.set({
				end_at: Number(item.start_at) + head.length,
				version: version + 1,
				updated_by: user.id,
				updated_at: now
			})
			.where('id', '=', itemId)
			.execute();
		await trx
			.insertInto('report_import_items')
			.values({
				import_id: draftId,
				start_at: at,
				end_at: Number(item.end_at),
				section: Number(item.section),
				kind: item.kind,
				subkind: item.subkind,
				modality: item.modality,
				horizon: item.horizon,
				rule: item.rule,
				status: item.status,
				published_id: null,
				updated_by: user.id,
				updated_at: now
			})
			.execute();
		await touch(trx, draftId, now);
		return { ok: true } as const;
	});
}

/**
 * Writes a section's English title if its row is still at `version` (0: none written yet), the
 * same rule as items: two curators saving one section's title are told, different sections
 * never collide.
 */
export async function updateSectionTitle(
	db: Db,
	draftId: string,
	section: number,
	version: number,
	titleEn: string,
	user: { id: number },
	now: number
): Promise<ChangeResult> {
	const title = titleEn.trim();
	if (title.length > SECTION_TITLE_MAX || hasControlChars(title))
		return { ok: false, reason: 'invalid', problem: 'sectionTitle' };
	const draft = await draftText(db, draftId);
	if (!draft) return { ok: false, reason: 'not_found' };
	if (!Number.isSafeInteger(section) || section < 0 || section >= draft.outline.length)
		return { ok: false, reason: 'not_found' };
	let changed: number;
	if (version === 0) {
		const res = await db
			.insertInto('report_import_sections')
			.values({
				import_id: draftId,
				section,
				title_en: title,
				updated_by: user.id,
				updated_at: now
			})
			.onConflict((oc) => oc.columns(['import_id', 'section']).doNothing())
			.executeTakeFirst();
		changed = Number(res.numInsertedOrUpdatedRows ?? 0);
	} else {
		const res = await db
			.updateTable('report_import_sections')
			.set({ title_en: title, version: version + 1, updated_by: user.id, updated_at: now })
			.where('import_id', '=', draftId)
			.where('section', '=', section)
			.where('version', '=', version)
			.executeTakeFirst();
		changed = Number(res.numUpdatedRows);
	}
	if (changed === 0) return { ok: false, reason: 'conflict' };
	await touch(db, draftId, now);
	return { ok: true };
}

/** As the seed schema's section titles. */
const SECTION_TITLE_MAX = 300;

export async function updateMeta(
	db: Db,
	draftId: string,
	version: number,
	meta: ImportMeta,
	now: number
): Promise<ChangeResult> {
	const res = await db
		.updateTable('report_imports')
		.set({ meta: JSON.stringify(meta), meta_version: version + 1, updated_at: now })
		.where('id', '=', draftId)
		.where('meta_version', '=', version)
		.executeTakeFirst();
	return Number(res.numUpdatedRows) === 0 ? { ok: false, reason: 'conflict' } : { ok: true };
}

/** The seed file a draft would publish as, with every problem that stops it. */
export function draftSeed(draft: Draft): SeedBuild {
	return buildImportSeed(
		draft.id,
		importSourceName(draft.text),
		draft.text,
		draft.meta,
		draft.outline,
		draft.items,
		draft.format === 'pdf' ? draft.pageStarts : null
	);
}

export type { SeedProblem };
