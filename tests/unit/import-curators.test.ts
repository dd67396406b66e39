import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { analyseSource } from '../../src/lib/server/library-import/analyse';
import { mayManageCurators, removeCurator } from '../../src/lib/server/library-import/curators';
import {
	addCurator,
	createDraft,
	listImports,
	loadDraft,
	mayCurate
} from '../../src/lib/server/library-import/drafts';
import { pgDb } from '../../src/lib/server/db/postgres';
import { tempDb, type TempDb } from '../helpers/db';
import { createUser, type TestUser } from '../helpers/users';

/** Issue 17: removing a draft's curators (its owner or an administrator); SQLite and PostgreSQL. */

let t: TempDb;
let owner: TestUser;
let ben: TestUser;
let cleo: TestUser;
let admin: TestUser;
const NOW = 1_780_000_000_000;
const as = (u: TestUser, isAdmin = false) => ({ id: u.id, is_admin: isAdmin ? 1 : 0 });

beforeEach(async () => {
	t = await tempDb();
	owner = await createUser(t.db, { displayName: 'Owner' });
	ben = await createUser(t.db, { displayName: 'Ben' });
	cleo = await createUser(t.db, { displayName: 'Cleo' });
	admin = await createUser(t.db, { displayName: 'Admin' });
});
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
	for (const c of closers.splice(0)) await c();
	await t.cleanup();
});

async function draftWithCurators(...others: TestUser[]): Promise<string> {
	const analysis = await analyseSource({
		name: 'plan.md',
		bytes: Buffer.from('# 計画\n研究人材が不足している。\n')
	});
	const id = await createDraft(t.db, { id: owner.id }, 'plan.md', analysis, NOW);
	for (const u of others) await addCurator(t.db, id, u.id, NOW + 1);
	return id;
}

const curatorNames = async (id: string) => (await loadDraft(t.db, id))!.curators.map((c) => c.name);

describe('removing curators', () => {
	test('the owner removes a curator, who loses the draft at once', async () => {
		const id = await draftWithCurators(ben, cleo);
		expect(await mayManageCurators(t.db, id, as(owner))).toBe(true);
		expect(await removeCurator(t.db, id, as(owner), ben.id)).toEqual({ ok: true });
		expect(await curatorNames(id)).toEqual(['Owner', 'Cleo']);
		expect(await mayCurate(t.db, id, as(ben))).toBe(false);
		expect((await listImports(t.db, as(ben))).map((d) => d.id)).not.toContain(id);
		expect(await mayCurate(t.db, id, as(cleo))).toBe(true);
		// The draft itself is unchanged.
		expect(
			(await t.db.selectFrom('report_imports').select('updated_at').executeTakeFirstOrThrow())
				.updated_at
		).toBe(NOW);
	});

	test('another curator may not remove anyone; an administrator may', async () => {
		const id = await draftWithCurators(ben, cleo);
		expect(await mayManageCurators(t.db, id, as(ben))).toBe(false);
		expect(await removeCurator(t.db, id, as(ben), cleo.id)).toEqual({
			ok: false,
			reason: 'forbidden'
		});
		expect(await removeCurator(t.db, id, as(ben), owner.id)).toEqual({
			ok: false,
			reason: 'forbidden'
		});
		expect(await curatorNames(id)).toEqual(['Owner', 'Ben', 'Cleo']);
		expect(await mayManageCurators(t.db, id, as(admin, true))).toBe(true);
		expect(await removeCurator(t.db, id, as(admin, true), owner.id)).toEqual({ ok: true });
		expect(await curatorNames(id)).toEqual(['Ben', 'Cleo']);
		// The owner, no longer a curator, has lost the draft and with it the right to manage it.
		expect(await mayCurate(t.db, id, as(owner))).toBe(false);
	});

	test('the last curator stays', async () => {
		const id = await draftWithCurators();
		expect(await removeCurator(t.db, id, as(owner), owner.id)).toEqual({
			ok: false,
			reason: 'last'
		});
		expect(await removeCurator(t.db, id, as(admin, true), owner.id)).toEqual({
			ok: false,
			reason: 'last'
		});
		expect(await curatorNames(id)).toEqual(['Owner']);
	});

	test('someone who is no curator, or a draft that does not exist, changes nothing', async () => {
		const id = await draftWithCurators(ben);
		expect(await removeCurator(t.db, id, as(owner), cleo.id)).toEqual({
			ok: false,
			reason: 'not_curator'
		});
		expect(await removeCurator(t.db, 'nosuchdraft', as(admin, true), ben.id)).toEqual({
			ok: false,
			reason: 'not_found'
		});
		expect(await mayManageCurators(t.db, 'nosuchdraft', as(admin, true))).toBe(false);
		expect(await curatorNames(id)).toEqual(['Owner', 'Ben']);
	});

	test('removals at once never leave a draft without a curator', async () => {
		// On PostgreSQL, as three processes with pools of their own: the removals race across
		// connections, and only the removal's transaction keeps the last curator.
		const dbs =
			t.dialect === 'postgres'
				? [1, 2, 3].map(() => {
						const h = pgDb(t.path, { poolSize: 2, statementTimeoutMs: 30_000, connectRetryMs: 0 });
						closers.push(() => h.db.destroy());
						return h.db;
					})
				: [t.db, t.db, t.db];
		for (let round = 0; round < 5; round++) {
			const id = await draftWithCurators(ben, cleo);
			const results = await Promise.all(
				[owner, ben, cleo].map((u, i) => removeCurator(dbs[i]!, id, as(admin, true), u.id))
			);
			expect(results.filter((r) => r.ok)).toHaveLength(2);
			expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, reason: 'last' }]);
			expect(await curatorNames(id)).toHaveLength(1);
		}
	});
});
