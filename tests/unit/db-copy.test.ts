import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { createBoard } from '../../src/lib/server/boards/create';
import { materialize, verifyStoredDoc } from '../../src/lib/server/collab/store';
import { createDb, type SqliteHandle } from '../../src/lib/server/db/connect';
import { copyInstance, CopyRefused } from '../../src/lib/server/db/copy';
import { migrateToLatest } from '../../src/lib/server/db/migrate';
import { pgDb, type PgHandle } from '../../src/lib/server/db/postgres';
import { search } from '../../src/lib/server/reports/search';
import { seedLibraryFromDir } from '../../src/lib/server/reports/seed';
import { seedReportsDir } from '../../seeds/paths';
import { createPgDatabase, dropPgDatabase, TEST_DIALECT } from '../helpers/db';
import { createUser } from '../helpers/users';
import { seedCards } from '../helpers/votes';

/**
 * `npm run db:copy`: a SQLite instance moves whole to an empty PostgreSQL database (issue 14).
 * Runs in the postgres project, which has a server to copy to.
 */
describe.skipIf(TEST_DIALECT !== 'postgres')(
	'copying an instance from SQLite to PostgreSQL',
	() => {
		let dir: string;
		let source: SqliteHandle;
		let target: PgHandle;
		const name = `yoriai_pg_copy_${process.pid}`;
		let board: string;

		beforeAll(async () => {
			dir = mkdtempSync(join(tmpdir(), 'yoriai-copy-'));
			source = createDb(join(dir, 'source.db'));
			await migrateToLatest(source.db);
			await seedLibraryFromDir(source.db, seedReportsDir(), 1000);
			const a = await createUser(source.db, { displayName: '移す人' });
			await createUser(source.db, { displayName: '残る人' });
			board = await createBoard(source.db, {
				title: '移転',
				purpose: '',
				workshopDate: null,
				template: { type: 'selection', ids: ['cocn25-001'] },
				cards: seedCards(3),
				author: { id: a.id, name: a.displayName },
				now: 1000
			});
			// Log rows after the snapshot, as the realtime server writes them.
			const doc = new Y.Doc();
			for (let i = 0; i < 3; i++) {
				const before = Y.encodeStateVector(doc);
				doc.getMap('extra').set(`k${i}`, `値 ${i}`);
				const data = Y.encodeStateAsUpdate(doc, before);
				await source.db
					.insertInto('collab_updates')
					.values({ board_id: board, seq: i + 1, data, crc: crc32(data), created_at: 2000 + i })
					.execute();
			}
			await dropPgDatabase(name);
			target = pgDb(await createPgDatabase(name));
		});
		afterAll(async () => {
			await source?.db.destroy();
			await target?.db.destroy();
			await dropPgDatabase(name);
			rmSync(dir, { recursive: true, force: true });
		});

		test('every table arrives with the same rows and checksum; boards, search and ids carry on', async () => {
			const report = await copyInstance(source, target);
			const byName = new Map(report.tables.map((t) => [t.name, t]));
			expect(byName.get('items')?.rows).toBe(1087);
			expect(byName.get('users')?.rows).toBe(2);
			expect(byName.get('collab_updates')?.rows).toBe(3);
			expect(report.boards).toBe(1);
			// Every table of the schema was copied, in an order parents come first.
			const order = report.tables.map((t) => t.name);
			expect(order.indexOf('users')).toBeLessThan(order.indexOf('boards'));
			expect(order.indexOf('boards')).toBeLessThan(order.indexOf('collab_updates'));

			const stored = verifyStoredDoc({
				boardId: board,
				snapshot:
					(await target.db
						.selectFrom('collab_snapshots')
						.select(['seq', 'data', 'crc'])
						.where('board_id', '=', board)
						.executeTakeFirst()) ?? null,
				log: await target.db
					.selectFrom('collab_updates')
					.select(['seq', 'data', 'crc'])
					.where('board_id', '=', board)
					.orderBy('seq')
					.execute()
			});
			const loaded = materialize(stored);
			expect(loaded.doc.getMap('extra').get('k2')).toBe('値 2');
			expect(loaded.nextSeq).toBe(4);
			loaded.doc.destroy();

			const q = { q: '人材' } as Parameters<typeof search>[1];
			const page = { limit: 500, offset: 0 };
			const [a, b] = await Promise.all([search(source.db, q, page), search(target.db, q, page)]);
			expect(b.total).toBe(a.total);
			expect(b.total).toBeGreaterThan(0);

			// The identity sequences continue after the copied ids.
			const next = await createUser(target.db, { displayName: '新しい人' });
			expect(next.id).toBe(3);
		});

		test('a target that already holds rows is refused, and nothing is written', async () => {
			const users = async () => (await target.db.selectFrom('users').select('id').execute()).length;
			const before = await users();
			await expect(copyInstance(source, target)).rejects.toBeInstanceOf(CopyRefused);
			expect(await users()).toBe(before);
		});
	}
);
