import { schema as hpSchema } from '@hocuspocus/extension-sqlite';
import SQLite from 'better-sqlite3';
import { generateBoardId } from '../../../src/lib/domain/board/id';
import { createSession } from '../../../src/lib/server/auth/sessions';
import { storeInitialState } from '../../../src/lib/server/collab/index';
import { createDb } from '../../../src/lib/server/db/connect';
import { migrateToLatest } from '../../../src/lib/server/db/migrate';
import { pgDb } from '../../../src/lib/server/db/postgres';

export interface OursFixture {
	tokens: string[];
	boards: string[];
}

/**
 * Accounts, sessions and boards for our server, written straight into its SQLite file before it
 * starts. Every user is a member (participant) of every board. Users get a placeholder password
 * hash: nobody signs in, they only hold sessions. `content(i)` seeds board i's first snapshot.
 */
export async function prepareOurs(
	dbPath: string,
	users: number,
	boards: number,
	content: (i: number) => Uint8Array | null = () => null
): Promise<OursFixture> {
	const { db } = dbPath.startsWith('postgres') ? pgDb(dbPath) : createDb(dbPath);
	await migrateToLatest(db);
	const now = Date.now();
	const ids: number[] = [];
	for (let i = 0; i < users; i++) {
		const row = await db
			.insertInto('users')
			.values({
				username_key: `bench${i}`,
				username: `bench${i}`,
				display_name: `ベンチ ${i}`,
				sector: 'industry',
				organisation: 'bench',
				password_hash: 'not-a-password-hash',
				locale: null,
				created_at: now,
				password_changed_at: now
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		ids.push(row.id);
	}
	const tokens: string[] = [];
	for (const id of ids) tokens.push((await createSession(db, id, now, 'bench')).token);
	const boardIds: string[] = [];
	for (let b = 0; b < boards; b++) {
		const id = generateBoardId();
		boardIds.push(id);
		await db
			.insertInto('boards')
			.values({
				id,
				title: `bench ${b}`,
				template: '{}',
				created_by: ids[0] as number,
				created_at: now
			})
			.execute();
		const members = ids.map((user_id) => ({
			board_id: id,
			user_id,
			role: 'participant' as const,
			added_by: null,
			added_at: now
		}));
		for (let i = 0; i < members.length; i += 200)
			await db
				.insertInto('board_members')
				.values(members.slice(i, i + 200))
				.execute();
		const seed = content(b);
		if (seed) await storeInitialState(db, id, seed);
	}
	await db.destroy();
	return { tokens, boards: boardIds };
}

/** Documents for Hocuspocus's SQLite extension, in its own table layout. */
export function seedHocuspocus(dbPath: string, docs: [string, Uint8Array][]): void {
	const db = new SQLite(dbPath);
	db.exec(hpSchema);
	const insert = db.prepare('insert into documents (name, data) values (?, ?)');
	for (const [name, data] of docs) insert.run(name, data);
	db.close();
}
