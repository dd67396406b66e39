import { readBoard, readComments } from '../../domain/board/doc';
import type { App } from '../app';
import { readBoardDoc } from '../collab/index';
import { logger } from '../log/logger';

/**
 * Everything this instance holds about one person (APPI: disclosure at their request), as one
 * JSON document: the account, sessions, boards they are on, the cards and comments they wrote —
 * read from each board's live document, as the exports read it — their ballots (theirs alone, so
 * no secrecy is broken), their private drafts, the actions they own, and their sign-in events.
 * Never a password hash or a session token.
 */
export async function personalData(
	app: Pick<App, 'db' | 'config' | 'database' | 'events' | 'now'>,
	userId: number
) {
	const { db } = app;
	const user = await db
		.selectFrom('users')
		.select([
			'id',
			'username',
			'display_name',
			'sector',
			'organisation',
			'locale',
			'is_admin',
			'created_at',
			'password_changed_at'
		])
		.where('id', '=', userId)
		.executeTakeFirstOrThrow();
	const sessions = await db
		.selectFrom('sessions')
		.select(['created_at', 'last_seen_at', 'expires_at', 'user_agent'])
		.where('user_id', '=', userId)
		.orderBy('created_at')
		.execute();
	const memberships = await db
		.selectFrom('board_members')
		.innerJoin('boards', 'boards.id', 'board_members.board_id')
		.select(['boards.id', 'boards.title', 'board_members.role', 'board_members.added_at'])
		.where('board_members.user_id', '=', userId)
		.orderBy('board_members.added_at')
		.execute();

	const cards: {
		board: string;
		boardTitle: string;
		id: string;
		title: string;
		note: string;
		createdAt: number;
		archived: boolean;
	}[] = [];
	const comments: {
		board: string;
		boardTitle: string;
		card: string;
		cardTitle: string;
		text: string;
		at: number;
	}[] = [];
	for (const b of memberships) {
		let doc;
		try {
			doc = await readBoardDoc(app, b.id);
		} catch (e) {
			logger.error({ err: e, board: b.id }, 'personal data: a board could not be read');
			continue;
		}
		try {
			const view = readBoard(doc);
			const all = [...view.lanes.flatMap((l) => l.cards), ...view.archived];
			for (const c of all) {
				if (c.createdBy?.id === userId)
					cards.push({
						board: b.id,
						boardTitle: b.title,
						id: c.id,
						title: c.title,
						note: c.note,
						createdAt: c.createdAt,
						archived: c.archived
					});
				for (const m of readComments(doc, c.id))
					if (m.by.id === userId)
						comments.push({
							board: b.id,
							boardTitle: b.title,
							card: c.id,
							cardTitle: c.title,
							text: m.text,
							at: m.at
						});
			}
		} finally {
			doc.destroy();
		}
	}

	const ballotRows = await db
		.selectFrom('ballots')
		.innerJoin('vote_sessions', 'vote_sessions.id', 'ballots.session_id')
		.innerJoin('boards', 'boards.id', 'vote_sessions.board_id')
		.select([
			'ballots.id',
			'boards.id as board',
			'boards.title as boardTitle',
			'vote_sessions.title as vote',
			'vote_sessions.method',
			'vote_sessions.status',
			'ballots.sector',
			'ballots.cast_at',
			'ballots.updated_at'
		])
		.where('ballots.user_id', '=', userId)
		.orderBy('ballots.cast_at')
		.execute();
	const entries = ballotRows.length
		? await db
				.selectFrom('ballot_entries')
				.select(['ballot_id', 'card_id', 'value', 'value2'])
				.where(
					'ballot_id',
					'in',
					ballotRows.map((b) => b.id)
				)
				.execute()
		: [];
	const ballots = ballotRows.map(({ id, ...b }) => ({
		...b,
		choices: entries
			.filter((e) => e.ballot_id === id)
			.map((e) => ({ card: e.card_id, value: e.value, value2: e.value2 }))
	}));
	const drafts = await db
		.selectFrom('board_drafts')
		.select(['board_id as board', 'title', 'note', 'created_at', 'revealed_at'])
		.where('user_id', '=', userId)
		.execute();
	const actions = await db
		.selectFrom('actions')
		.innerJoin('boards', 'boards.id', 'actions.board_id')
		.select([
			'actions.id',
			'boards.id as board',
			'boards.title as boardTitle',
			'actions.title',
			'actions.due_date',
			'actions.status',
			'actions.notes',
			'actions.updated_at'
		])
		.where('actions.owner_user_id', '=', userId)
		.execute();
	const signIns = await db
		.selectFrom('auth_events')
		.select(['at', 'kind', 'ip'])
		.where('user_id', '=', userId)
		.orderBy('id', 'desc')
		.limit(1000)
		.execute();
	return {
		format: 'yoriai.personal-data',
		version: 1,
		exportedAt: new Date(app.now()).toISOString(),
		account: {
			id: user.id,
			username: user.username,
			displayName: user.display_name,
			sector: user.sector,
			organisation: user.organisation,
			locale: user.locale,
			administrator: user.is_admin === 1,
			createdAt: user.created_at,
			passwordChangedAt: user.password_changed_at
		},
		sessions,
		memberships: memberships.map((m) => ({
			board: m.id,
			title: m.title,
			role: m.role,
			since: m.added_at
		})),
		cards,
		comments,
		ballots,
		drafts,
		actions,
		signIns
	};
}
