import type { Segment } from './highlight';
import type { LinkBasis } from './seed-schema';
import type {
	ActorKey,
	ItemKind,
	ModalityKey,
	ReportKindKey,
	SubkindKey,
	ThemeKey
} from './vocabulary';

/**
 * The shapes the library's queries return and its pages render (src/lib/server/reports/ →
 * routes → src/lib/components/). Field names follow the seed files and the database.
 */

export interface ReportRef {
	slug: string;
	title_ja: string;
	title_en: string;
}

/** What a list of items shows for each: enough to recognise it and follow the link. */
export interface ItemSummary {
	id: string;
	kind: ItemKind;
	subkind: SubkindKey | null;
	title_ja: string;
	title_en: string;
	retired: boolean;
	report: ReportRef;
}

export interface ReportOverview extends ReportRef {
	publisher_ja: string;
	publisher_en: string;
	date: string;
	date_note: string | null;
	kind: ReportKindKey;
	summary_ja: string;
	summary_en: string;
	total: number;
	counts: Record<ItemKind, number>;
	topThemes: { theme: ThemeKey; count: number }[];
}

export interface SectionRef {
	id: string;
	number: string | null;
	title_ja: string;
	title_en: string;
}

/** A link to another item, seen from this one. */
export interface LinkedItem extends ItemSummary {
	basis: LinkBasis;
}

export interface OutlineItem extends ItemSummary {
	/** The issues this proposal or target answers… */
	addresses: LinkedItem[];
	/** …and, for an issue, the proposals and targets that answer it. */
	addressedBy: LinkedItem[];
}

export interface OutlineSection extends SectionRef {
	items: OutlineItem[];
	children: OutlineSection[];
}

export interface ReportOutline {
	report: ReportOverview;
	sections: OutlineSection[];
}

export interface ItemDetail extends ItemSummary {
	summary_ja: string;
	quote: string;
	horizon: number | null;
	kpi: string | null;
	/** The PDF page of the quote (imported reports only). */
	page: number | null;
	modality: ModalityKey | null;
	/** Unix ms when the item left its seed file; null while it is published. */
	retired_at: number | null;
	publisher_ja: string;
	publisher_en: string;
	/** The section and its ancestors, outermost first. */
	sectionPath: SectionRef[];
	parent: ItemSummary | null;
	children: ItemSummary[];
	themes: ThemeKey[];
	actors: { actor: ActorKey; stated: boolean }[];
	addresses: LinkedItem[];
	addressedBy: LinkedItem[];
	restates: LinkedItem[];
	restatedBy: LinkedItem[];
	/** Per theme of this item: items on it in the other reports (the first few, and how many). */
	sameTheme: { theme: ThemeKey; total: number; items: ItemSummary[] }[];
	/** Likely duplicates in the other reports (src/lib/domain/library/related.ts). */
	related: (ItemSummary & { score: number })[];
}

export interface ThemeColumn {
	report: ReportRef;
	items: ItemSummary[];
}

/** One search hit, with every searched field split into marked and unmarked runs. */
export interface SearchHit extends ItemSummary {
	segments: {
		title_ja: Segment[];
		title_en: Segment[];
		summary_ja: Segment[];
		quote: Segment[];
	};
}

export interface SearchResults {
	total: number;
	hits: SearchHit[];
}
