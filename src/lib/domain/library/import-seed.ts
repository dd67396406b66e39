/**
 * A curated import as a seed file (seeds/reports format): the accepted items of a draft, their
 * sections and the report's metadata, then checked by the same validateSeed as the project's own
 * seeds, quotes against the draft's cleaned text. Publishing, exporting and the library loader
 * all take the file this builds, so an imported report is held to exactly the seeds' rules.
 */
import type { DraftLink } from './import-relations';
import { pageAt } from './import-text';
import type { SeedFile, SeedItem } from './seed-schema';
import { validateSeed, type SeedProblem } from './validate-seed';
import type { ItemKind, ModalityKey, ReportKindKey, SubkindKey, ThemeKey } from './vocabulary';

export type SeedActor = SeedItem['actors'][number];

export interface ImportMeta {
	slug: string;
	title_ja: string;
	title_en: string;
	publisher_ja: string;
	publisher_en: string;
	date: string;
	date_note: string | null;
	kind: ReportKindKey;
	summary_ja: string;
	summary_en: string;
}

export interface ImportSection {
	parent: number | null;
	number: string | null;
	title: string;
	start: number;
	end: number;
	depth: number;
	/** The curator's English title; '' until written (never the Japanese: see buildImportSeed). */
	title_en: string;
}

export interface ImportItem {
	/** The draft item's row id (problems name it). */
	id: number;
	start: number;
	end: number;
	section: number;
	kind: ItemKind;
	subkind: SubkindKey | null;
	modality: ModalityKey | null;
	horizon: number | null;
	status: 'candidate' | 'accepted' | 'rejected';
	title_ja: string;
	title_en: string;
	summary_ja: string;
	themes: ThemeKey[];
	actors: SeedActor[];
	kpi: string | null;
	/** Row id of the parent item in the draft. */
	parent: number | null;
	links: DraftLink[];
	published_id: string | null;
}

export interface SeedBuild {
	seed: SeedFile | null;
	/** Problems, `where` naming a draft item (`item:<row id>`), a section or the report. */
	problems: SeedProblem[];
	/** Library id given to each accepted draft item (row id → item id). */
	ids: Map<number, string>;
}

/** The id prefix of an imported report: short, from its draft id, unlike any seed's. */
export function importPrefix(draftId: string): string {
	return `im${draftId.replace(/[^a-z0-9]/gu, '').slice(0, 6)}`;
}

export function buildImportSeed(
	draftId: string,
	source: string,
	text: string,
	meta: ImportMeta,
	outline: readonly ImportSection[],
	items: readonly ImportItem[],
	/** Where each PDF page starts in `text`; null for a source without pages (DOCX, text). */
	pageStarts: readonly number[] | null = null
): SeedBuild {
	const prefix = importPrefix(draftId);
	const accepted = items.filter((i) => i.status === 'accepted').sort((a, b) => a.start - b.start);
	const problems: SeedProblem[] = [];
	if (accepted.length === 0) problems.push({ where: 'report', message: 'no accepted item' });

	// Ids once given stay: a republished report keeps every id it had.
	const ids = new Map<number, string>();
	let next = 1;
	for (const i of items) {
		const n = i.published_id ? Number(i.published_id.split('-').pop()) : 0;
		if (n >= next) next = n + 1;
	}
	for (const i of accepted)
		ids.set(i.id, i.published_id ?? `${prefix}-${String(next++).padStart(3, '0')}`);

	// The sections that hold an accepted item, and their ancestors.
	const used = new Set<number>();
	for (const i of accepted) {
		let s: number | null = i.section;
		while (s !== null && !used.has(s)) {
			used.add(s);
			s = outline[s]?.parent ?? null;
		}
	}
	const sectionId = (index: number) => `${prefix}-s${index}`;
	const sections = [...used]
		.sort((a, b) => a - b)
		.map((index) => {
			const s = outline[index]!;
			return {
				id: sectionId(index),
				parent: s.parent === null ? null : sectionId(s.parent),
				number: s.number,
				title_ja: s.title,
				title_en: s.title_en.trim()
			};
		});
	// A section's English title is required before publishing, like every other English field of
	// a seed: the schema asks for one, and a Japanese string under `title_en` would pass the schema
	// yet mislead every English reader and export. Each section still missing it is named, with
	// its number and Japanese title, so the curator can go to it.
	const untitled = sections.filter((s) => s.title_en === '');
	for (const s of untitled) {
		const index = Number(s.id.slice(`${prefix}-s`.length));
		problems.push({
			where: `section:${index}`,
			message: `English title missing: ${[s.number, s.title_ja].filter(Boolean).join(' ')}`
		});
	}

	// Parents and links name draft rows; in the seed they name library ids, so their targets must
	// be accepted items too.
	const refProblem = (row: number, what: string, target: number) =>
		problems.push({ where: `item:${row}`, message: `${what} #${target} is not an accepted item` });
	for (const i of accepted) {
		if (i.parent !== null && !ids.has(i.parent)) refProblem(i.id, 'parent', i.parent);
		for (const l of i.links) if (!ids.has(l.target)) refProblem(i.id, 'link target', l.target);
	}

	const raw = {
		schema_version: 1,
		report: { ...meta, prefix, source },
		// Only to let validateSeed check the rest: with a title missing, no seed comes out at all.
		outline: sections.map((s) => ({ ...s, title_en: s.title_en || s.title_ja })),
		items: accepted.map((i) => ({
			id: ids.get(i.id)!,
			kind: i.kind,
			subkind: i.subkind,
			parent: i.parent === null ? null : (ids.get(i.parent) ?? null),
			section: sectionId(i.section),
			title_ja: i.title_ja,
			title_en: i.title_en,
			summary_ja: i.summary_ja,
			quote: text.slice(i.start, i.end).replace(/\s+/gu, ' ').trim(),
			themes: i.themes,
			actors: i.actors,
			horizon: i.horizon,
			kpi: i.kpi,
			modality: i.modality,
			links: i.links.flatMap((l) => {
				const target = ids.get(l.target);
				return target ? [{ type: l.type, target, basis: l.basis }] : [];
			}),
			...(pageStarts && pageStarts.length > 0 ? { page: pageAt(pageStarts, i.start) } : {})
		}))
	};
	const checked = validateSeed(raw, text);
	// Name draft items, not the ids they would get, so the page can point at the item.
	const byId = new Map([...ids].map(([row, id]) => [id, row]));
	for (const p of checked.problems) {
		const m = /^items\.(\d+)/u.exec(p.where);
		const row = m ? accepted[Number(m[1])]?.id : byId.get(p.where);
		problems.push({ where: row !== undefined ? `item:${row}` : p.where, message: p.message });
	}
	return { seed: problems.length === 0 ? checked.seed : null, problems, ids };
}
