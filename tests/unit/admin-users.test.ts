import { afterEach, describe, expect, test } from 'vitest';
import { listUsers, sectorsMatching } from '../../src/lib/server/admin/users';
import { tempDb, type TempDb } from '../helpers/db';
import { createUser } from '../helpers/users';

let t: TempDb;
afterEach(async () => t?.cleanup());

describe('administrator user search', () => {
	test('names a sector by its code or by its label in the reader’s language', () => {
		expect(sectorsMatching('government', 'ja')).toEqual(['government']);
		expect(sectorsMatching('行政', 'ja')).toEqual(['government']);
		expect(sectorsMatching('GOVERN', 'en')).toEqual(['government']);
		expect(sectorsMatching('civil society', 'ja')).toEqual(['civil_society']);
		expect(sectorsMatching('市民', 'ja')).toEqual(['civil_society']);
		expect(sectorsMatching('Academia', 'en')).toEqual(['academia']);
		// A label is matched in the reader's language only.
		expect(sectorsMatching('行政', 'en')).toEqual([]);
		expect(sectorsMatching('  ', 'ja')).toEqual([]);
		expect(sectorsMatching('株式会社', 'ja')).toEqual([]);
	});

	test('finds accounts by sector code and label, beside name, username and organisation', async () => {
		t = await tempDb();
		const gov = await createUser(t.db, { sector: 'government', displayName: '佐藤 花子' });
		const uni = await createUser(t.db, { sector: 'academia', displayName: '鈴木 一郎' });
		const ngo = await createUser(t.db, { sector: 'civil_society', displayName: '高橋 明' });
		const firm = await createUser(t.db, { sector: 'industry', displayName: '田中 次郎' });
		const ids = async (q: string, locale: 'ja' | 'en' = 'ja') =>
			(await listUsers(t.db, q, locale)).map((u) => u.id).sort((a, b) => a - b);

		expect(await ids('government')).toEqual([gov.id]);
		expect(await ids('行政')).toEqual([gov.id]);
		expect(await ids('Government', 'en')).toEqual([gov.id]);
		expect(await ids('学術')).toEqual([uni.id]);
		expect(await ids('civil_society')).toEqual([ngo.id]);
		expect(await ids('Civil society', 'en')).toEqual([ngo.id]);
		expect(await ids('産業界')).toEqual([firm.id]);
		// The other fields still match as before; nothing matches what nobody has.
		expect(await ids('佐藤')).toEqual([gov.id]);
		expect(await ids(uni.username)).toEqual([uni.id]);
		expect(await ids('テスト株式会社')).toEqual(
			[gov.id, uni.id, ngo.id, firm.id].sort((a, b) => a - b)
		);
		expect(await ids('メディア')).toEqual([]);
		expect(await ids('%')).toEqual([]);
	});
});
