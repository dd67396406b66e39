import { sql } from 'kysely';
import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import {
	addCard,
	addComment,
	mergeCards,
	readBoard,
	seedBoard,
	type SeedCard
} from '../../src/lib/domain/board/doc';
import {
	confirmsTitle,
	deletionBlockers,
	docContributions
} from '../../src/lib/domain/board/deletable';
import { requireBoardRole, requireNotArchived } from '../../src/lib/server/auth/guards';
import { createInvite, inspectInvite } from '../../src/lib/server/boards/invites';
import {
	boardDeletionBlockers,
	deleteBoard,
	setArchived
} from '../../src/lib/server/boards/lifecycle';
import { listBoardsFor } from '../../src/lib/server/boards/boards';
import { changeBoardDoc } from '../../src/lib/server/collab/index';
import {
	connect,
	disconnect,
	logRows,
	sleep,
	synced,
	waitFor,
	type Member,
	type TestServer
} from '../helpers/collab';
import { serverPerTest } from '../helpers/collab-server';

const newServer = serverPerTest();

const SEED: SeedCard[] = ['論点A', '論点B'].map((title, i) => ({
	title,
	titleEn: '',
	note: '',
	kind: 'issue',
	sources: [
		{
			reportSlug: 'r',
			reportTitle: '報告書',
			itemId: `r-${i}`,
			kind: 'issue',
			sectionId: 's',
			sectionLabel: '1',
			quote: '引用'
		}
	]
}));

function seeded(): Y.Doc {
	const d = new Y.Doc();
	seedBoard(d, SEED, { id: 1, name: '作成者' }, 0);
	return d;
}

async function seededBoard(s: TestServer, fac: Member, others: [Member, 'participant'][] = []) {
	const id = await s.board([[fac, 'facilitator'], ...others]);
	await changeBoardDoc(
		s.app,
		id,
		(d) => seedBoard(d, SEED, { id: fac.user.id, name: 'f' }, 0),
		'seed'
	);
	return id;
}

/** The parts of a RequestEvent the guards read. */
function eventFor(s: TestServer, m: Member) {
	return {
		locals: {
			app: s.app,
			user: {
				id: m.user.id,
				username: m.user.username,
				display_name: m.user.displayName,
				sector: m.user.sector,
				organisation: '',
				is_admin: 0,
				locale: null
			},
			session: { id: m.sessionId }
		},
		url: new URL('http://localhost/')
	} as unknown as Parameters<typeof requireBoardRole>[0];
}

async function statusOf(p: Promise<unknown>): Promise<number | 'ok'> {
	try {
		await p;
		return 'ok';
	} catch (e) {
		return (e as { status?: number }).status ?? -1;
	}
}

async function count(s: TestServer, table: string, boardId: string): Promise<number> {
	const column = table === 'boards' ? 'id' : 'board_id';
	// The table and column are this file's constants.
	/* eslint-disable no-restricted-syntax */
	const { rows } = await sql<{
		n: number;
	}>`select count(*) as n from ${sql.table(table)} where ${sql.ref(column)} = ${boardId}`.execute(
		s.db
	);
	/* eslint-enable no-restricted-syntax */
	return rows[0]!.n;
}

describe('what makes a board deletable (pure)', () => {
	test('a freshly seeded board has no contributions; edits of seeded wording do not count', () => {
		const d = seeded();
		const card = readBoard(d).lanes.flatMap((l) => l.cards)[0]!;
		(d.getMap('cards').get(card.id) as Y.Map<unknown>).get('title');
		expect(docContributions(d)).toEqual({ cardsAdded: 0, cardsArchived: 0, comments: 0 });
	});

	test('an added card, a comment and a merge each count', () => {
		const d = seeded();
		const [a, b] = readBoard(d).lanes.flatMap((l) => l.cards);
		const lane = a!.lane;
		addCard(d, { title: '追加', lane, author: { id: 2, name: 'p' }, now: 1 });
		addComment(d, a!.id, { text: 'コメント', author: { id: 2, name: 'p' }, now: 1 });
		mergeCards(d, a!.id, [b!.id], { id: 2, name: 'p' }, 1);
		expect(docContributions(d)).toEqual({ cardsAdded: 1, cardsArchived: 1, comments: 1 });
		const none = { votes: 0, decisions: 0, actions: 0, drafts: 0, followUps: 0 };
		expect(deletionBlockers(docContributions(d), none)).toEqual([
			'cards_added',
			'cards_archived',
			'comments'
		]);
		expect(
			deletionBlockers(
				{ cardsAdded: 0, cardsArchived: 0, comments: 0 },
				{ votes: 1, decisions: 0, actions: 0, drafts: 1, followUps: 1 }
			)
		).toEqual(['votes', 'drafts', 'follow_ups']);
	});

	test('the typed confirmation must be the title (NFKC, trimmed), never empty', () => {
		expect(confirmsTitle(' 第１回　ワークショップ ', '第1回 ワークショップ')).toBe(true);
		expect(confirmsTitle('第2回 ワークショップ', '第1回 ワークショップ')).toBe(false);
		expect(confirmsTitle('  ', '  ')).toBe(false);
	});
});

describe('archiving a board', () => {
	test('AC-01 archived: every write refused, over HTTP for everyone and over the socket for facilitators too; restore undoes it', async () => {
		const s = await newServer();
		const fac = await s.member();
		const part = await s.member();
		const board = await seededBoard(s, fac, [[part, 'participant']]);
		const p = connect(s, fac, board);
		const q = connect(s, part, board);
		await Promise.all([synced(p), synced(q)]);
		const lane = readBoard(p.doc).lanes[0]!.id;

		expect(await setArchived(s.app, board, true, { id: fac.user.id, name: 'f' })).toBe(true);
		// A second archive changes nothing and records nothing.
		expect(await setArchived(s.app, board, true, { id: fac.user.id, name: 'f' })).toBe(false);

		// HTTP: every changing action stops at the guard (409), reading and exporting do not.
		for (const action of ['edit', 'facilitate', 'manage_members', 'decide', 'vote'] as const)
			expect(await statusOf(requireBoardRole(eventFor(s, fac), board, action))).toBe(409);
		for (const action of ['read', 'export', 'export_record', 'audit'] as const)
			expect(await statusOf(requireBoardRole(eventFor(s, fac), board, action))).toBe('ok');
		expect(await statusOf(requireNotArchived(eventFor(s, part), board))).toBe(409);
		expect(
			await statusOf(requireBoardRole(eventFor(s, fac), board, 'facilitate', { archivedToo: true }))
		).toBe('ok');

		// A phase change announced meanwhile (another process, a stale event) keeps it archived.
		s.app.events.emit('facilitation-changed', { boardId: board, phase: 'sort', locked: false });

		// Socket: the facilitator's card and the participant's comment are refused.
		const rows = await logRows(s.db, board);
		const dropped = s.collab.stats.refusedByRule.archived ?? 0;
		addCard(p.doc, {
			title: 'アーカイブ後',
			lane,
			author: { id: fac.user.id, name: fac.user.displayName },
			now: 1
		});
		const card = readBoard(q.doc).lanes.flatMap((l) => l.cards)[0]!.id;
		addComment(q.doc, card, {
			text: '後から',
			author: { id: part.user.id, name: part.user.displayName },
			now: 1
		});
		await waitFor(
			() => (s.collab.stats.refusedByRule.archived ?? 0) >= dropped + 2,
			3000,
			'updates refused'
		);
		await sleep(100);
		expect(await logRows(s.db, board)).toBe(rows);
		const stored = await s.collab.readDoc(board);
		expect(docContributions(stored)).toEqual({ cardsAdded: 0, cardsArchived: 0, comments: 0 });
		stored.destroy();
		expect(s.log.some((l) => l.fields.reason === 'archived')).toBe(true);

		// Invites stop working; the list shows it apart.
		const inv = await createInvite(s.db, crypto.getRandomValues(new Uint8Array(32)), {
			boardId: board,
			role: 'participant',
			expiresAt: Date.now() + 60_000,
			maxUses: 5,
			note: '',
			by: fac.user.id,
			now: Date.now()
		});
		expect(await inspectInvite(s.db, inv.token, Date.now())).toEqual({
			ok: false,
			problem: 'archived'
		});
		expect((await listBoardsFor(s.db, part.user.id))[0]!.archivedAt).not.toBeNull();

		// Restored: writes are taken again, for both.
		expect(await setArchived(s.app, board, false, { id: fac.user.id, name: 'f' })).toBe(true);
		expect(await statusOf(requireBoardRole(eventFor(s, part), board, 'edit'))).toBe('ok');
		// (A dropped update stays missing on the server, so later ones from that same document
		// wait behind it: the board page offers no editing while archived. A fresh client.)
		disconnect(q);
		const q2 = connect(s, part, board);
		await synced(q2);
		addCard(q2.doc, {
			title: '復元後',
			lane,
			author: { id: part.user.id, name: part.user.displayName },
			now: 2
		});
		await waitFor(
			() =>
				readBoard(p.doc)
					.lanes.flatMap((l) => l.cards)
					.some((c) => c.title === '復元後'),
			3000,
			'restored edit'
		);
		expect((await inspectInvite(s.db, inv.token, Date.now())).ok).toBe(true);
		const audit = await s.db
			.selectFrom('board_audit')
			.select('kind')
			.where('board_id', '=', board)
			.orderBy('id')
			.execute();
		expect(audit.map((a) => a.kind)).toEqual(['board_archived', 'board_restored']);
		disconnect(p);
		disconnect(q2);
	});
});

describe('deleting a board', () => {
	test('AC-01 refused for a board with content; an empty board goes with all its rows, its sockets close 4404, another board stays', async () => {
		const s = await newServer();
		const fac = await s.member();
		const part = await s.member();
		const used = await seededBoard(s, fac, [[part, 'participant']]);
		const empty = await seededBoard(s, fac, [[part, 'participant']]);
		const other = await seededBoard(s, fac);

		// A comment makes a board undeletable; it stays usable (not left frozen).
		await changeBoardDoc(
			s.app,
			used,
			(d) => {
				const card = readBoard(d).lanes.flatMap((l) => l.cards)[0]!.id;
				addComment(d, card, {
					text: '意見',
					author: { id: part.user.id, name: part.user.displayName },
					now: 1
				});
			},
			'test'
		);
		expect(await boardDeletionBlockers(s.app, used)).toEqual(['comments']);
		expect(await deleteBoard(s.app, used, { id: fac.user.id, name: 'f' })).toEqual({
			ok: false,
			blockers: ['comments']
		});
		expect(await count(s, 'boards', used)).toBe(1);
		const pu = connect(s, part, used);
		await synced(pu);
		const rows = await logRows(s.db, used);
		addCard(pu.doc, {
			title: 'まだ書ける',
			lane: readBoard(pu.doc).lanes[0]!.id,
			author: { id: part.user.id, name: part.user.displayName },
			now: 1
		});
		let after = rows;
		await waitFor(
			() => {
				void logRows(s.db, used).then((n) => (after = n));
				return after > rows;
			},
			3000,
			'the edit stored'
		);
		disconnect(pu);

		// A draft blocks too (the SQL side).
		await s.db
			.insertInto('board_drafts')
			.values({ board_id: other, user_id: part.user.id, title: '下書き', note: '', created_at: 1 })
			.execute();
		expect(await boardDeletionBlockers(s.app, other)).toEqual(['drafts']);

		// The empty board: someone has it open, with an invite and facilitation state.
		await createInvite(s.db, crypto.getRandomValues(new Uint8Array(32)), {
			boardId: empty,
			role: 'participant',
			expiresAt: Date.now() + 60_000,
			maxUses: 5,
			note: '',
			by: fac.user.id,
			now: Date.now()
		});
		await s.db
			.insertInto('board_facilitation')
			.values({
				board_id: empty,
				phase: 'sort',
				locked: 0,
				timer: null,
				spotlight: null,
				updated_at: 1
			})
			.execute();
		await setArchived(s.app, empty, true, { id: fac.user.id, name: 'f' });
		const watcher = connect(s, part, empty);
		await synced(watcher);
		const closed = new Promise<number>((resolve) =>
			watcher.on('connection-close', (e) => resolve((e as { code: number } | null)?.code ?? 0))
		);
		expect(await deleteBoard(s.app, empty, { id: fac.user.id, name: 'f' })).toEqual({ ok: true });
		expect(await closed).toBe(4404);
		disconnect(watcher);
		for (const table of [
			'boards',
			'board_members',
			'board_invites',
			'board_facilitation',
			'board_audit',
			'collab_updates',
			'collab_snapshots'
		])
			expect(await count(s, table, empty), table).toBe(0);
		// Nothing is written for it afterwards (no compaction of a board that is gone).
		await sleep(400);
		expect(await logRows(s.db, empty)).toBe(0);
		expect(s.log.some((l) => l.event === 'commit-failed')).toBe(false);
		// The other boards are untouched.
		expect(await count(s, 'boards', other)).toBe(1);
		expect(await count(s, 'board_members', used)).toBe(2);
		const doc = await s.collab.readDoc(used);
		expect(readBoard(doc).lanes.flatMap((l) => l.cards)).toHaveLength(3);
		doc.destroy();
	});
});
