import { z } from 'zod';
import { SECTORS } from '../accounts/sectors';
import { LANE_PRESETS } from '../board/doc';
import { LABEL_COLORS } from '../board/schema';
import { ITEM_KINDS, type ItemKind } from '../library/vocabulary';
import {
	cardRefSchema,
	dissentSchema,
	mergedRefSchema,
	provenanceSchema
} from '../decisions/schemas';
import { ACTION_STATUSES } from '../decisions/types';
import { voteResultsSchema } from '../votes/results';
import type { ExportBundle } from './bundle';

/**
 * The JSON export. `format` and `version` say what a file is; a change that would break a
 * reader gets a new version. Times are ISO 8601 in UTC; dates without a time are YYYY-MM-DD.
 * The current version is also published as a JSON Schema file, `schemas/board-export.v3.json`
 * (generated from `boardExportV3` by `npm run schema:export`; a unit test keeps it in step).
 *
 * Version 3 (the whole workshop): each entry of `participants` lists the `names` of those who
 * agreed to be named in records (empty unless they did), and each card on `lanes` carries its
 * `comments` (author, text, time; hidden ones left out). A strict v2 reader refuses both.
 *
 * Version 2 (merges keep their cards): the board's `labels` and its cards by lane (`lanes`, each
 * card with its labels, effective sources and `mergedFrom` — who wrote what); on each action the
 * labels and merged cards of its cards; on decision cards recorded since, `mergedFrom`. Version 1
 * had none of these, and a strict v1 reader refuses them, hence the new number.
 */
export const EXPORT_FORMAT = 'yoriai.board-export';
export const EXPORT_VERSION = 3;

const cardKinds = z.enum(['note', ...(Object.keys(ITEM_KINDS) as ItemKind[])]);

const isoTime = z.iso.datetime();
const isoDate = z.iso.date();

export const boardExportV2 = z.strictObject({
	format: z.literal(EXPORT_FORMAT),
	version: z.literal(2),
	exportedAt: isoTime,
	board: z.strictObject({
		id: z.string(),
		title: z.string(),
		purpose: z.string(),
		workshopDate: isoDate.nullable()
	}),
	participants: z.array(z.strictObject({ sector: z.enum(SECTORS), count: z.int().min(1) })),
	decisions: z.array(
		z.strictObject({
			id: z.int(),
			createdAt: isoTime,
			/** Newest first; the first is the decision as it stands. */
			revisions: z
				.array(
					z.strictObject({
						revision: z.int().min(1),
						text: z.string(),
						rationale: z.string(),
						dissent: z.array(dissentSchema),
						cards: z.array(cardRefSchema),
						vote: z
							.strictObject({ sessionId: z.int().nullable(), results: voteResultsSchema })
							.nullable(),
						recordedBy: z.string(),
						recordedAt: isoTime
					})
				)
				.min(1)
		})
	),
	actions: z.array(
		z.strictObject({
			id: z.int(),
			decisionId: z.int(),
			decision: z.string(),
			title: z.string(),
			owner: z.discriminatedUnion('kind', [
				z.strictObject({ kind: z.literal('none') }),
				z.strictObject({
					kind: z.literal('member'),
					userId: z.int(),
					name: z.string(),
					organisation: z.string()
				}),
				z.strictObject({ kind: z.literal('organisation'), name: z.string() })
			]),
			due: isoDate.nullable(),
			status: z.enum(ACTION_STATUSES),
			notes: z.string(),
			cards: z.array(z.strictObject({ id: z.string(), title: z.string() })),
			labels: z.array(z.string()).describe("labels on the action's cards now"),
			mergedFrom: z.array(mergedRefSchema).describe("cards merged into the action's cards now"),
			sources: z.array(provenanceSchema).describe('report, section and quote behind the action'),
			createdAt: isoTime,
			updatedAt: isoTime
		})
	),
	votes: z.array(voteResultsSchema),
	labels: z.array(z.strictObject({ name: z.string(), color: z.enum(LABEL_COLORS) })),
	/** The cards on the board when exported, by lane; archived cards only inside `mergedFrom`. */
	lanes: z.array(
		z.strictObject({
			title: z.string(),
			preset: z.enum([...LANE_PRESETS, 'custom']),
			cards: z.array(
				z.strictObject({
					id: z.string(),
					title: z.string(),
					note: z.string(),
					kind: cardKinds,
					author: z.string().nullable(),
					labels: z.array(z.string()),
					sources: z.array(provenanceSchema),
					mergedFrom: z.array(mergedRefSchema)
				})
			)
		})
	)
});

export type BoardExportV2 = z.infer<typeof boardExportV2>;

const v2Card = boardExportV2.shape.lanes.element.shape.cards.element;

export const boardExportV3 = boardExportV2
	.extend({
		version: z.literal(EXPORT_VERSION),
		participants: z.array(
			z.strictObject({
				sector: z.enum(SECTORS),
				count: z.int().min(1),
				names: z
					.array(z.string())
					.describe('those of the sector who agreed to be named in records; others only counted')
			})
		),
		lanes: z.array(
			boardExportV2.shape.lanes.element.extend({
				cards: z.array(
					v2Card.extend({
						comments: z
							.array(z.strictObject({ author: z.string(), text: z.string(), at: isoTime }))
							.describe("the card's comments, oldest first; hidden ones left out")
					})
				)
			})
		)
	})
	.describe('Yoriai board export: the record of one workshop');

export type BoardExportV3 = z.infer<typeof boardExportV3>;

/**
 * Reads an export file of any version still supported (2 and 3) as version 3: a v2 file says
 * nothing about names or comments, so it reads as none. Null for anything else.
 */
export function readBoardExport(json: unknown): BoardExportV3 | null {
	const v3 = boardExportV3.safeParse(json);
	if (v3.success) return v3.data;
	const v2 = boardExportV2.safeParse(json);
	if (!v2.success) return null;
	return {
		...v2.data,
		version: EXPORT_VERSION,
		participants: v2.data.participants.map((p) => ({ ...p, names: [] })),
		lanes: v2.data.lanes.map((l) => ({
			...l,
			cards: l.cards.map((c) => ({ ...c, comments: [] }))
		}))
	};
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The bundle as JSON, checked against the schema before it leaves the server. */
export function toJsonExport(b: ExportBundle): BoardExportV3 {
	return boardExportV3.parse({
		format: EXPORT_FORMAT,
		version: EXPORT_VERSION,
		exportedAt: iso(b.exportedAt),
		board: b.board,
		participants: b.participants,
		decisions: b.decisions.map((d) => ({
			id: d.id,
			createdAt: iso(d.createdAt),
			revisions: d.revisions.map((r) => ({ ...r, recordedAt: iso(r.recordedAt) }))
		})),
		actions: b.actions.map(({ boardId: _boardId, ...a }) => ({
			...a,
			createdAt: iso(a.createdAt),
			updatedAt: iso(a.updatedAt)
		})),
		votes: b.votes.map((v) => ({ ...v, voters: null })),
		labels: b.labels,
		lanes: b.lanes.map((l) => ({
			...l,
			cards: l.cards.map((c) => ({
				...c,
				comments: c.comments.map((m) => ({ ...m, at: iso(m.at) }))
			}))
		}))
	});
}
