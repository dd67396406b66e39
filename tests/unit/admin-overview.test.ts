import { afterEach, describe, expect, test } from 'vitest';
import { overview } from '../../src/lib/server/admin/overview';
import { createBoard } from '../../src/lib/server/boards/create';
import { readConfig } from '../../src/lib/server/config';
import { tempDb, type TempDb } from '../helpers/db';
import { createUser } from '../helpers/users';

let t: TempDb;
afterEach(async () => t?.cleanup());

describe('instance overview', () => {
	test('counts users, admins, boards active in the last day and week, and the database size', async () => {
		t = await tempDb();
		const now = Date.now();
		const admin = await createUser(t.db);
		await t.db.updateTable('users').set({ is_admin: 1 }).where('id', '=', admin.id).execute();
		await createUser(t.db);
		await createBoard(t.db, {
			title: '概観テスト',
			purpose: '',
			workshopDate: null,
			template: { type: 'selection', ids: ['cocn25-001'] },
			cards: [],
			author: { id: admin.id, name: admin.displayName },
			now
		});
		const app = {
			db: t.db,
			database: t.handle,
			config: { ...readConfig({ DATABASE_PATH: t.path }), databasePath: t.path },
			now: () => now
		};
		const o = await overview(app, { openSockets: 3, loadedBoards: 1 });
		expect(o.users).toEqual({ total: 2, disabled: 0, admins: 1 });
		expect(o.boards.total).toBe(1);
		// Creating a board writes its audit entry: active today and this week.
		expect(o.boards.activeDay).toBe(1);
		expect(o.boards.activeWeek).toBe(1);
		expect(o.openSockets).toBe(3);
		expect(o.databaseBytes).toBeGreaterThan(0);
		expect(o.lastBackup).toBeNull();
		// A week later nothing happened since.
		const later = await overview(
			{ ...app, now: () => now + 8 * 86_400_000 },
			{
				openSockets: 0,
				loadedBoards: 0
			}
		);
		expect(later.boards.activeWeek).toBe(0);
	});
});
