import { fail, redirect } from '@sveltejs/kit';
import { resolve } from 'node:path';
import { z } from 'zod';
import {
	LINK_BASES,
	LINK_TYPES,
	parseItemRef,
	type DraftLink
} from '$lib/domain/library/import-relations';
import { pageAt } from '$lib/domain/library/import-text';
import { reportSlug } from '$lib/domain/library/seed-schema';
import { ACTORS, ITEM_KINDS, REPORT_KINDS, SUBKINDS, THEMES } from '$lib/domain/library/vocabulary';
import { normalizeUsername } from '$lib/domain/accounts/username';
import {
	addCurator,
	addItem,
	draftSeed,
	loadDraft,
	mergeItems,
	splitItem,
	updateItem,
	updateMeta,
	updateSectionTitle,
	type ChangeResult,
	type ItemPatch
} from '$lib/server/library-import/drafts';
import { mayManageCurators, removeCurator } from '$lib/server/library-import/curators';
import { requireCurator } from '$lib/server/library-import/guard';
import { publishDraft, retireImport } from '$lib/server/library-import/publish';
import type { Actions, PageServerLoad } from './$types';

/**
 * Curation of one draft import, section by section: the section's text beside its candidates.
 * Every action works without JavaScript; each saves at once (there is no "save all"), so work is
 * never lost between sections and several curators can work side by side (see drafts.ts).
 */

const seedDir = () => resolve('seeds/reports');

export const load: PageServerLoad = async (event) => {
	const id = event.params.id;
	const user = await requireCurator(event, id);
	const draft = (await loadDraft(event.locals.app.db, id))!;
	const counts = new Map<number, number>();
	for (const i of draft.items) counts.set(i.section, (counts.get(i.section) ?? 0) + 1);
	const asked = Number(event.url.searchParams.get('s'));
	const first = draft.outline.findIndex((_, i) => (counts.get(i) ?? 0) > 0);
	const s =
		Number.isInteger(asked) &&
		asked >= 0 &&
		asked < draft.outline.length &&
		event.url.searchParams.has('s')
			? asked
			: Math.max(0, first);
	const section = draft.outline[s]!;
	// The section's own text, line by line, with the page each line starts on.
	let at = section.start;
	const lines = draft.text
		.slice(section.start, section.end)
		.split('\n')
		.map((line) => {
			const out = { at, page: pageAt(draft.pageStarts, at), text: line };
			at += line.length + 1;
			return out;
		})
		.filter((l) => l.text.trim() !== '');
	const build = draftSeed(draft);
	// Sections the seed build names as still lacking an English title (see import-seed.ts).
	const untitled = build.problems.flatMap((p) => {
		const m = /^section:(\d+)$/u.exec(p.where);
		return m ? [Number(m[1])] : [];
	});
	return {
		draft: {
			id: draft.id,
			file_name: draft.file_name,
			format: draft.format,
			pages: draft.pageStarts.length,
			status: draft.status,
			slug: draft.slug,
			meta: draft.meta,
			metaVersion: draft.metaVersion,
			curators: draft.curators
		},
		sections: draft.outline.map((o, i) => ({
			index: i,
			title: o.title,
			number: o.number,
			depth: o.depth,
			count: counts.get(i) ?? 0
		})),
		current: s,
		section: { title_en: section.title_en, version: draft.sectionVersions[s] ?? 0 },
		untitled,
		// Every item a parent or link may name, for the pickers (rejected ones cannot be published).
		refs: draft.items
			.filter((i) => i.status !== 'rejected')
			.map((i) => ({
				id: i.id,
				kind: i.kind,
				label: (i.title_ja || i.quote).replace(/\s+/gu, ' ').slice(0, 40)
			})),
		lines,
		items: draft.items
			.filter((i) => i.section === s)
			.map((i) => ({ ...i, page: pageAt(draft.pageStarts, i.start) })),
		problems: build.problems.length,
		manageCurators: await mayManageCurators(event.locals.app.db, id, user),
		vocab: {
			kinds: Object.keys(ITEM_KINDS) as (keyof typeof ITEM_KINDS)[],
			themes: Object.keys(THEMES) as (keyof typeof THEMES)[],
			actors: Object.keys(ACTORS) as (keyof typeof ACTORS)[],
			subkinds: Object.keys(SUBKINDS) as (keyof typeof SUBKINDS)[],
			linkTypes: LINK_TYPES,
			linkBases: LINK_BASES,
			reportKinds: Object.keys(REPORT_KINDS) as (keyof typeof REPORT_KINDS)[]
		}
	};
};

const single = (form: FormData, key: string): string | undefined => {
	const v = form.get(key);
	return typeof v === 'string' ? v : undefined;
};
const int = (form: FormData, key: string): number | null => {
	const v = Number(single(form, key));
	return Number.isSafeInteger(v) && v >= 0 ? v : null;
};

function answer(r: ChangeResult, item: number | null) {
	if (r.ok) return { saved: true as const, item };
	const key = r.problem
		? (`import.invalid.${r.problem}` as const)
		: r.reason === 'conflict'
			? 'import.conflict'
			: r.reason === 'not_verbatim'
				? 'import.notVerbatim'
				: r.reason === 'published'
					? 'import.publishedItem'
					: 'import.invalid';
	return fail(r.reason === 'conflict' ? 409 : 400, { problem: key, item });
}

/** `''` → null (cleared), absent → undefined (unchanged). */
const optional = (form: FormData, key: string): string | null | undefined => {
	const v = single(form, key)?.trim();
	return v === undefined ? undefined : v === '' ? null : v;
};

type Relations = Pick<ItemPatch, 'subkind' | 'kpi' | 'parent' | 'links'>;

/**
 * Subkind, KPI, parent and links from the item form. Links come as rows of three parallel fields;
 * a row with no target is left out (that is how a link is removed). A reference that is not an
 * item number is refused here with the same reason an unknown item gets.
 */
function relationsOf(form: FormData): Relations | ChangeResult {
	const out: Relations = { subkind: optional(form, 'subkind'), kpi: optional(form, 'kpi') };
	const parent = optional(form, 'parent');
	if (parent !== undefined) {
		out.parent = parent === null ? null : parseItemRef(parent);
		if (out.parent === null && parent !== null)
			return { ok: false, reason: 'invalid', problem: 'parentUnknown' };
	}
	if (form.has('link_target')) {
		const all = (k: string) => form.getAll(k).map((v) => (typeof v === 'string' ? v : ''));
		const [types, targets, bases] = [all('link_type'), all('link_target'), all('link_basis')];
		const links: DraftLink[] = [];
		for (const [n, raw] of targets.entries()) {
			if (raw.trim() === '') continue;
			const target = parseItemRef(raw);
			if (target === null) return { ok: false, reason: 'invalid', problem: 'linkUnknown' };
			links.push({
				type: types[n] as DraftLink['type'],
				target,
				basis: bases[n] as DraftLink['basis']
			});
		}
		out.links = links;
	}
	return out;
}

const metaForm = z.strictObject({
	version: z.coerce.number().int().min(1),
	slug: reportSlug.max(80),
	title_ja: z.string().trim().min(1).max(300),
	title_en: z.string().trim().max(300),
	publisher_ja: z.string().trim().max(200),
	publisher_en: z.string().trim().max(200),
	date: z.union([z.literal(''), z.string().regex(/^\d{4}-\d{2}(?:-\d{2})?$/u)]),
	kind: z.enum(
		Object.keys(REPORT_KINDS) as [keyof typeof REPORT_KINDS, ...(keyof typeof REPORT_KINDS)[]]
	),
	summary_ja: z.string().trim().max(600),
	summary_en: z.string().trim().max(600)
});

export const actions: Actions = {
	item: async (event) => {
		const user = await requireCurator(event, event.params.id);
		const form = await event.request.formData();
		const item = int(form, 'item');
		const version = int(form, 'version');
		if (item === null || version === null) return fail(400, { problem: 'import.invalid', item });
		const relations = relationsOf(form);
		if ('ok' in relations) return answer(relations, item);
		const patch: ItemPatch = {
			...relations,
			status: single(form, 'status') as ItemPatch['status'],
			kind: single(form, 'kind') as ItemPatch['kind'],
			title_ja: single(form, 'title_ja')?.trim(),
			title_en: single(form, 'title_en')?.trim(),
			summary_ja: single(form, 'summary_ja')?.trim(),
			themes: form.getAll('themes').filter((v): v is string => typeof v === 'string'),
			actors: form
				.getAll('actors')
				.filter((v): v is string => typeof v === 'string')
				.map((actor) => ({ actor, stated: false })),
			quote: single(form, 'quote')
		};
		if (patch.status && !['candidate', 'accepted', 'rejected'].includes(patch.status))
			return fail(400, { problem: 'import.invalid', item });
		const r = await updateItem(
			event.locals.app.db,
			event.params.id,
			item,
			version,
			patch,
			user,
			event.locals.app.now()
		);
		return answer(r, item);
	},
	add: async (event) => {
		const user = await requireCurator(event, event.params.id);
		const form = await event.request.formData();
		const quote = single(form, 'quote') ?? '';
		const kind = single(form, 'kind') as keyof typeof ITEM_KINDS;
		const r = await addItem(
			event.locals.app.db,
			event.params.id,
			quote,
			int(form, 'near') ?? 0,
			kind,
			user,
			event.locals.app.now()
		);
		if (!r.ok) return { ...answer(r, null), quote };
		return { saved: true as const, item: r.itemId ?? null };
	},
	merge: async (event) => {
		const user = await requireCurator(event, event.params.id);
		const form = await event.request.formData();
		const versions = new Map<number, number>();
		for (const v of form.getAll('merge')) {
			const m = typeof v === 'string' ? /^(\d+):(\d+)$/u.exec(v) : null;
			if (!m) return fail(400, { problem: 'import.invalid', item: null });
			versions.set(Number(m[1]), Number(m[2]));
		}
		return answer(
			await mergeItems(
				event.locals.app.db,
				event.params.id,
				versions,
				user,
				event.locals.app.now()
			),
			null
		);
	},
	split: async (event) => {
		const user = await requireCurator(event, event.params.id);
		const form = await event.request.formData();
		const item = int(form, 'item');
		const version = int(form, 'version');
		if (item === null || version === null) return fail(400, { problem: 'import.invalid', item });
		const r = await splitItem(
			event.locals.app.db,
			event.params.id,
			item,
			version,
			single(form, 'before') ?? '',
			user,
			event.locals.app.now()
		);
		return answer(r, item);
	},
	section: async (event) => {
		const user = await requireCurator(event, event.params.id);
		const form = await event.request.formData();
		const section = int(form, 'section');
		const version = int(form, 'version');
		if (section === null || version === null)
			return fail(400, { problem: 'import.invalid', item: null });
		const r = await updateSectionTitle(
			event.locals.app.db,
			event.params.id,
			section,
			version,
			single(form, 'title_en') ?? '',
			user,
			event.locals.app.now()
		);
		return answer(r, null);
	},
	meta: async (event) => {
		await requireCurator(event, event.params.id);
		const form = await event.request.formData();
		const raw = Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === 'string'));
		const parsed = metaForm.safeParse(raw);
		if (!parsed.success) return fail(400, { problem: 'import.invalid', item: null, meta: true });
		const { version, ...m } = parsed.data;
		const r = await updateMeta(
			event.locals.app.db,
			event.params.id,
			version,
			{ ...m, date_note: null },
			event.locals.app.now()
		);
		return answer(r, null);
	},
	publish: async (event) => {
		const user = await requireCurator(event, event.params.id);
		const r = await publishDraft(
			event.locals.app.db,
			event.params.id,
			user,
			seedDir(),
			event.locals.app.now()
		);
		if (!r.ok)
			return fail(400, {
				problem: 'import.publish.problems',
				item: null,
				problems: r.problems.slice(0, 50)
			});
		return { published: r.slug };
	},
	retire: async (event) => {
		await requireCurator(event, event.params.id);
		const ok = await retireImport(
			event.locals.app.db,
			event.params.id,
			seedDir(),
			event.locals.app.now()
		);
		return ok ? { retired: true } : fail(400, { problem: 'import.invalid', item: null });
	},
	curator: async (event) => {
		await requireCurator(event, event.params.id);
		const form = await event.request.formData();
		const name = normalizeUsername(single(form, 'username') ?? '');
		if (!name.ok) return fail(400, { problem: 'import.invalid', item: null });
		const user = await event.locals.app.db
			.selectFrom('users')
			.select('id')
			.where('username_key', '=', name.key)
			.where('deleted_at', 'is', null)
			.executeTakeFirst();
		if (!user) return fail(400, { problem: 'import.invalid', item: null });
		await addCurator(event.locals.app.db, event.params.id, Number(user.id), event.locals.app.now());
		return { saved: true as const, item: null };
	},
	removeCurator: async (event) => {
		const user = await requireCurator(event, event.params.id);
		const form = await event.request.formData();
		const curator = int(form, 'user');
		if (curator === null) return fail(400, { problem: 'import.invalid', item: null });
		const r = await removeCurator(event.locals.app.db, event.params.id, user, curator);
		if (!r.ok)
			return r.reason === 'forbidden'
				? fail(403, { problem: 'import.curator.forbidden', item: null })
				: r.reason === 'last'
					? fail(400, { problem: 'import.curator.last', item: null })
					: fail(400, { problem: 'import.invalid', item: null });
		// An owner who stepped down no longer sees the draft.
		if (curator === user.id && user.is_admin !== 1) redirect(303, '/library/import');
		return { saved: true as const, item: null };
	}
};
