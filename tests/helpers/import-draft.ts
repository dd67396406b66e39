import { analyseSource } from '../../src/lib/server/library-import/analyse';
import { createDraft, loadDraft, type Draft } from '../../src/lib/server/library-import/drafts';
import type { Db } from '../../src/lib/server/db/connect';

/**
 * A short plan in Markdown that the import's rules read as two issues and three proposals under
 * two sections: the draft the unit tests of import curation start from.
 */
export const PLAN = [
	'# 次期基本計画に向けて',
	'## 現状と課題',
	'博士号取得者数の低迷は、研究力とイノベーション力の格差につながっている。量子技術の研究人材が不足している。',
	'## 提言',
	'産学官で博士人材のキャリアパスを整備すべきである。量子コンピュータの国産化を推進する必要がある。',
	'国際共同研究の拠点を整える。'
].join('\n');

/** A draft of PLAN owned by `ownerId`, created at `now`, as loaded back. */
export async function planDraft(db: Db, ownerId: number, now: number): Promise<Draft> {
	const analysis = await analyseSource({ name: 'plan.md', bytes: Buffer.from(PLAN) });
	const id = await createDraft(db, { id: ownerId }, 'plan.md', analysis, now);
	const draft = await loadDraft(db, id);
	if (!draft) throw new Error(`draft ${id} did not load back`);
	return draft;
}

/** The draft's item whose quote starts with `starts`. */
export function itemStarting(d: Draft, starts: string): Draft['items'][number] {
	const found = d.items.find((i) => i.quote.startsWith(starts));
	if (!found) throw new Error(`no item starting ${starts}`);
	return found;
}
