import type { BoardView, CardKind, CardView, LanePreset, Provenance } from '../board/doc';
import type { LabelColor } from '../board/schema';
import type { MergedRef } from '../decisions/schemas';
import type { Translate } from '../../i18n/translate';

/**
 * The board's cards as exports show them: by lane, with their labels by name, their effective
 * sources and every card merged into them with its wording and author ("統合元"). Archived cards
 * are counted nowhere: a card merged away appears only inside the card it was merged into.
 */
export interface ExportCard {
	id: string;
	title: string;
	note: string;
	kind: CardKind;
	author: string | null;
	labels: string[];
	sources: Provenance[];
	mergedFrom: MergedRef[];
	/** Comments on the card, oldest first; those a facilitator hid are left out. */
	comments: ExportComment[];
}

export interface ExportComment {
	author: string;
	text: string;
	at: number;
}

export interface ExportLane {
	/** As the facilitator named it; empty for a preset lane that kept its translated name. */
	title: string;
	preset: LanePreset;
	cards: ExportCard[];
}

export interface ExportLabel {
	name: string;
	color: LabelColor;
}

/** Who wrote each card merged into this one and who merged it. */
export function mergedRefs(card: Pick<CardView, 'mergedFrom'>): MergedRef[] {
	return card.mergedFrom.map((m) => ({
		title: m.title,
		note: m.note,
		author: m.createdBy?.name ?? null,
		mergedBy: m.merge?.by.name ?? null
	}));
}

/** The names of a card's labels, in the board's label order. */
export function labelNames(card: Pick<CardView, 'labels'>, view: Pick<BoardView, 'labels'>) {
	const names = new Map(view.labels.map((l) => [l.id, l.name]));
	return card.labels.flatMap((id) => names.get(id) ?? []);
}

export function exportCard(
	card: CardView,
	view: Pick<BoardView, 'labels'>,
	comments: ExportComment[] = []
): ExportCard {
	return {
		id: card.id,
		title: card.title,
		note: card.note,
		kind: card.kind,
		author: card.createdBy?.name ?? null,
		labels: labelNames(card, view),
		sources: card.sources,
		mergedFrom: mergedRefs(card),
		comments
	};
}

/** The lanes in board order, each card with its comments (`commentsOf`, none by default). */
export function exportLanes(
	view: BoardView,
	commentsOf: (cardId: string) => ExportComment[] = () => []
): ExportLane[] {
	return view.lanes.map((l) => ({
		title: l.title,
		preset: l.preset,
		cards: l.cards.map((c) => exportCard(c, view, commentsOf(c.id)))
	}));
}

/** A lane's name in an export: what the facilitator typed, or the preset's translated name. */
export function laneName(lane: Pick<ExportLane, 'title' | 'preset'>, t: Translate): string {
	if (lane.title) return lane.title;
	return lane.preset === 'custom' ? '—' : t(`board.lane.${lane.preset}`);
}

/**
 * "統合元: タイトル（山田）: メモ — 佐藤 が統合" — one line per merged card: its wording, who
 * wrote it and who merged it.
 */
export function mergedLine(m: MergedRef, t: Translate): string {
	const who = m.author ? t('export.merged.by', { name: m.author }) : '';
	const note = m.note.trim() ? `: ${m.note.trim()}` : '';
	const by = m.mergedBy ? ` — ${t('export.merged.mergedBy', { name: m.mergedBy })}` : '';
	return `${t('export.merged.from')}: ${m.title}${who}${note}${by}`;
}
