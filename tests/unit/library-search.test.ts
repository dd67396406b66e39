import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fold } from '../../src/lib/domain/library/fold';
import type { SearchHit } from '../../src/lib/domain/library/library-types';
import type { SearchFilters } from '../../src/lib/domain/library/search-query';
import { search } from '../../src/lib/server/reports/search';
import { seededDb } from '../helpers/library';

/**
 * Issue 3: the library is searchable in Japanese and English — trigram full text for terms of
 * three characters or more, an escaped LIKE scan below that — with filters and highlights.
 */
let t: Awaited<ReturnType<typeof seededDb>>;
beforeAll(async () => {
	t = await seededDb();
});
afterAll(async () => {
	await t.cleanup();
});

const ALL = { limit: 2000, offset: 0 };
const run = (filters: Partial<SearchFilters>) => search(t.db, { q: '', ...filters }, ALL);
const ids = (hits: SearchHit[]) => hits.map((h) => h.id);
const text = (h: SearchHit) =>
	Object.values(h.segments)
		.flatMap((segments) => segments.map((s) => s.text))
		.join('\n');
const marked = (h: SearchHit) =>
	Object.values(h.segments)
		.flat()
		.filter((s) => s.hit)
		.map((s) => s.text);
/** The raw FTS columns, for terms that match the KPI (not returned as segments). */
const ftsText = async (id: string) => {
	const row = await t.db
		.selectFrom('items_fts')
		.select(['title', 'body'])
		.where('item_id', '=', id)
		.executeTakeFirstOrThrow();
	return `${row.title}\n${row.body}`;
};

describe('searching the library', () => {
	test.each([
		['人材', ['cocn25-004', 'cocn25-012', 'tv20-110']],
		['スタートアップ', ['im19-059', 'im19-118', 'tv20-089']],
		['研究セキュリティ', ['cocn25-013', 'cocn25-037', 'cocn25-106']]
	])('Japanese %s finds the items that say it, and marks it', async (q, expected) => {
		const { total, hits } = await run({ q });
		expect(total).toBe(hits.length);
		expect(ids(hits)).toEqual(expect.arrayContaining(expected));
		for (const hit of hits) {
			expect(await ftsText(hit.id)).toContain(q);
		}
		// Every hit whose returned fields hold the term has it marked.
		for (const hit of hits.filter((h) => text(h).includes(q))) {
			expect(marked(hit)).toContain(q);
		}
	});

	test('研究セキュリティ finds exactly the items containing it', async () => {
		const { hits } = await run({ q: '研究セキュリティ' });
		const all = await t.db
			.selectFrom('items_fts')
			.innerJoin('items', 'items.id', 'items_fts.item_id')
			.select('items_fts.item_id')
			.where('items.retired_at', 'is', null)
			.where((eb) =>
				eb.or([
					eb('items_fts.title', 'like', '%研究セキュリティ%'),
					eb('items_fts.body', 'like', '%研究セキュリティ%')
				])
			)
			.execute();
		expect(ids(hits).sort()).toEqual(all.map((r) => r.item_id).sort());
	});

	test('English words match the English titles, whatever their case', async () => {
		const talent = await run({ q: 'talent' });
		expect(talent.total).toBeGreaterThan(20);
		for (const hit of talent.hits) expect(hit.title_en.toLowerCase()).toContain('talent');
		expect(talent.hits[0]?.segments.title_en.some((s) => s.hit && /talent/iu.test(s.text))).toBe(
			true
		);

		const startup = await run({ q: 'Startup' });
		expect(ids(startup.hits)).toContain('im19-059');
		for (const hit of startup.hits) expect(hit.title_en.toLowerCase()).toContain('startup');
	});

	test('every term must occur: 人材 育成 is narrower than 人材', async () => {
		const both = await run({ q: '人材　育成' });
		const one = await run({ q: '人材' });
		expect(both.total).toBeGreaterThan(0);
		expect(both.total).toBeLessThan(one.total);
		for (const hit of both.hits) {
			const all = await ftsText(hit.id);
			expect(all).toContain('人材');
			expect(all).toContain('育成');
		}
	});

	test('a two-character Japanese query (量子) is answered without the trigram index', async () => {
		const { hits } = await run({ q: '量子' });
		expect(hits.length).toBeGreaterThan(5);
		expect(ids(hits)).toContain('cocn25-056');
		for (const hit of hits) expect(await ftsText(hit.id)).toContain('量子');
	});

	test('a one-character query works too', async () => {
		const { hits } = await run({ q: '量' });
		expect(hits.length).toBeGreaterThan(10);
		for (const hit of hits) expect(await ftsText(hit.id)).toContain('量');
	});

	test('AI matches the word AI, not "ai" inside English words', async () => {
		const { hits } = await run({ q: 'AI' });
		expect(hits.length).toBeGreaterThan(20);
		expect(ids(hits)).toEqual(expect.arrayContaining(['cocn25-041', 'cocn25-055']));
		for (const hit of hits) expect(await ftsText(hit.id)).toMatch(/(^|[^a-z0-9])ai([^a-z0-9]|$)/mu);
		// "sustainable", "chain", "again" alone do not make a hit.
		const again = await run({ q: 'ai', kind: 'issue' });
		for (const hit of again.hits) expect(marked(hit).every((m) => fold(m) === 'ai')).toBe(true);
	});

	test('full-width text is found by half-width queries (５Ｇ by 5G) and marked as printed', async () => {
		const { hits } = await run({ q: '5G' });
		const fullWidth = hits.find((h) => h.id === 'ict19-013');
		expect(fullWidth).toBeDefined();
		expect(fullWidth && marked(fullWidth)).toContain('５Ｇ');
	});

	test('% and _ match literally, not as LIKE wildcards', async () => {
		const percent = await run({ q: '%' });
		expect(percent.total).toBeGreaterThan(0);
		expect(percent.total).toBeLessThan(100);
		for (const hit of percent.hits) expect(await ftsText(hit.id)).toContain('%');

		expect((await run({ q: '_' })).total).toBe(0);
		expect((await run({ q: '%%' })).total).toBe(0);
		const top10 = await run({ q: '10%' });
		expect(ids(top10.hits)).toContain('cocn25-024');
		expect((await run({ q: '1_%' })).total).toBe(0);
	});

	test.each([
		"'; DROP TABLE items; --",
		'" OR 1=1 --',
		'人材 OR 1=1',
		'NEAR(人材 育成)',
		'人材*',
		'title:人材',
		'"人材"',
		'\\',
		'^人材',
		'(人材'
	])('SQL and FTS syntax in %j is searched for as text, harmlessly', async (q) => {
		const result = await run({ q });
		expect(result.total).toBe(result.hits.length);
		const { n } = await t.db
			.selectFrom('items')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.executeTakeFirstOrThrow();
		expect(n).toBe(1087);
	});

	test('filters narrow the results, each on its own and together', async () => {
		const report = await run({ q: '人材', report: 'meti-tech-vision-2020' });
		expect(report.total).toBeGreaterThan(0);
		for (const h of report.hits) expect(h.report.slug).toBe('meti-tech-vision-2020');

		const kind = await run({ q: '人材', kind: 'target' });
		for (const h of kind.hits) expect(h.kind).toBe('target');

		const theme = await run({ theme: 'research_security' });
		expect(theme.total).toBe(17);

		const actor = await run({ actor: 'universities', kind: 'proposal' });
		expect(actor.total).toBeGreaterThan(0);
		for (const h of actor.hits) {
			const a = await t.db
				.selectFrom('item_actors')
				.select('actor')
				.where('item_id', '=', h.id)
				.execute();
			expect(a.map((x) => x.actor)).toContain('universities');
			expect(h.kind).toBe('proposal');
		}

		const horizon = await run({ horizon: 2030 });
		expect(horizon.total).toBeGreaterThan(0);
		for (const h of horizon.hits) {
			const row = await t.db
				.selectFrom('items')
				.select('horizon')
				.where('id', '=', h.id)
				.executeTakeFirstOrThrow();
			expect(row.horizon).toBe(2030);
		}

		const none = await run({ q: '人材', report: 'no-such-report' });
		expect(none.total).toBe(0);
	});

	test('pages do not overlap and share the total', async () => {
		const first = await search(t.db, { q: '人材' }, { limit: 20, offset: 0 });
		const second = await search(t.db, { q: '人材' }, { limit: 20, offset: 20 });
		expect(first.total).toBe(second.total);
		expect(first.hits).toHaveLength(20);
		const overlap = ids(first.hits).filter((id) => ids(second.hits).includes(id));
		expect(overlap).toEqual([]);
	});

	test('the total is right on a last, partial page and past the end', async () => {
		const all = await run({ q: '研究セキュリティ' });
		const last = await search(t.db, { q: '研究セキュリティ' }, { limit: 5, offset: 5 });
		expect(last.total).toBe(all.total);
		expect(last.hits).toHaveLength(all.total - 5);
		const beyond = await search(t.db, { q: '研究セキュリティ' }, { limit: 5, offset: 100 });
		expect(beyond).toEqual({ total: all.total, hits: [] });
	});

	test('a hit in the title ranks before hits only in the body', async () => {
		const { hits } = await run({ q: 'スタートアップ' });
		const inTitle = hits.map((h) => h.title_ja.includes('スタートアップ'));
		const firstBodyOnly = inTitle.indexOf(false);
		expect(firstBodyOnly).toBeGreaterThan(0);
		expect(inTitle.slice(firstBodyOnly).filter(Boolean).length).toBeLessThan(3);
	});
});
