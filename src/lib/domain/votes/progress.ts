import type * as Y from 'yjs';
import { z } from 'zod';
import { ROOTS } from '../board/schema';
import { VOTE_METHODS } from './methods';

/**
 * Live vote progress in the board's shared document: the `votes` map, session id → counts.
 * Only what everyone may see goes here — whether a session is open or revealed and how many
 * have voted — never a tally or anyone's choice. The server writes it after each ballot commits
 * (changeBoardDoc), so every open board updates without new infrastructure.
 *
 * `votes` is a server-owned root: the realtime server refuses client updates that touch it
 * (classify-update.ts). Pages still show the numbers they load from SQL and use this map as the
 * signal that they changed; entries are validated here all the same.
 */
const progressSchema = z.strictObject({
	title: z.string().max(200),
	method: z.enum(VOTE_METHODS),
	status: z.enum(['open', 'closed']),
	revealed: z.boolean(),
	voted: z.int().min(0),
	eligible: z.int().min(0),
	deadline: z.number().nullable()
});

export type VoteProgress = z.infer<typeof progressSchema> & { sessionId: number };

const votesOf = (doc: Y.Doc) => doc.getMap<unknown>(ROOTS.votes);

export function writeVoteProgress(doc: Y.Doc, p: VoteProgress): void {
	const { sessionId, ...rest } = p;
	votesOf(doc).set(String(sessionId), { ...rest });
}

/** Every well-formed entry, newest session first; malformed ones are skipped. */
export function readVoteProgress(doc: Y.Doc): VoteProgress[] {
	const out: VoteProgress[] = [];
	for (const [key, value] of votesOf(doc)) {
		if (!/^[1-9]\d{0,9}$/u.test(key)) continue;
		const parsed = progressSchema.safeParse(value);
		if (parsed.success) out.push({ ...parsed.data, sessionId: Number(key) });
	}
	return out.sort((a, b) => b.sessionId - a.sessionId);
}
