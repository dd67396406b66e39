import type { Provenance, SeedCard } from '../../src/lib/domain/board/doc';
import type { BoardRole } from '../../src/lib/domain/board/roles';
import { createBoard } from '../../src/lib/server/boards/create';
import { readBoardCards } from '../../src/lib/server/votes/cards';
import type { App } from '../../src/lib/server/app';
import { createUser, type TestUser } from './users';
import type { Sector } from '../../src/lib/domain/accounts/sectors';

/** A source as seeded boards carry them, numbered so every card's is distinct. */
export const source = (n: number): Provenance => ({
	reportSlug: 'cocn-7th-basic-plan-2025',
	reportTitle: '次期（第7期）科学技術・イノベーション基本計画に向けて',
	itemId: `cocn25-${String(n).padStart(3, '0')}`,
	kind: 'proposal',
	sectionId: 'cocn25-s1',
	sectionLabel: '1. 科学技術政策ガバナンス強化',
	quote: `国民が目指す国家像を描き、共有を図るべきである（${n}）`
});

export function seedCards(n: number, title = (i: number) => `提言 ${i + 1}`): SeedCard[] {
	return Array.from({ length: n }, (_, i) => ({
		title: title(i),
		titleEn: `Proposal ${i + 1}`,
		note: '',
		kind: 'proposal',
		sources: [source(i + 1)]
	}));
}

export interface VoteBoard {
	id: string;
	facilitator: TestUser;
	/** Card ids in board order. */
	cards: string[];
}

/**
 * A board created the way the app creates one (document snapshot and all), with `n` cards and
 * the given members; the first user is its facilitator.
 */
export async function voteBoard(
	app: Pick<App, 'db' | 'config' | 'database' | 'events' | 'now'>,
	n: number,
	members: [TestUser, BoardRole][] = [],
	title?: (i: number) => string
): Promise<VoteBoard> {
	const facilitator = await createUser(app.db, { displayName: 'ファシリテーター' });
	const id = await createBoard(app.db, {
		title: '投票テスト',
		purpose: '',
		workshopDate: null,
		template: { type: 'selection', ids: ['cocn25-001'] },
		cards: seedCards(n, title),
		author: { id: facilitator.id, name: facilitator.displayName },
		now: Date.now()
	});
	for (const [u, role] of members)
		await app.db
			.insertInto('board_members')
			.values({ board_id: id, user_id: u.id, role, added_by: facilitator.id, added_at: Date.now() })
			.execute();
	const { view } = await readBoardCards(app, id);
	return { id, facilitator, cards: view.lanes.flatMap((l) => l.cards.map((c) => c.id)) };
}

/** Users of the given sectors. */
export async function voters(app: Pick<App, 'db'>, sectors: Sector[]): Promise<TestUser[]> {
	const out: TestUser[] = [];
	for (const sector of sectors) out.push(await createUser(app.db, { sector }));
	return out;
}
