import { error, fail, redirect } from '@sveltejs/kit';
import { mayCreateBoards } from '$lib/server/admin/settings';
import {
	checkPicks,
	narrowItems,
	readNarrowing,
	readPicks,
	relevantNarrowing,
	SESSION_CARDS,
	type Narrowing
} from '$lib/domain/board/narrow';
import { LIMITS } from '$lib/domain/board/limits';
import { newBoardFields, readSource, templateOf } from '$lib/domain/board/template';
import { normaliseSelection, SELECTION_PARAM } from '$lib/domain/library/selection';
import { ITEM_KINDS, THEMES } from '$lib/domain/library/vocabulary';
import { issueToFieldError, type FieldError } from '$lib/domain/forms';
import { requireUser } from '$lib/server/auth/guards';
import { candidateItems, type SectionInfo } from '$lib/server/boards/candidates';
import { createBoard } from '$lib/server/boards/create';
import { seedCardsFor } from '$lib/server/boards/seed-cards';
import { formFailure } from '$lib/server/http/forms';
import type { Actions, PageServerLoad } from './$types';

/**
 * Two steps, both working without JavaScript: the chooser is a GET form (source and narrowing
 * in the URL), whose answer shows the count and the items; the create POST carries the same
 * source and narrowing plus the ticked items, and is checked again here from scratch.
 */

const FIELDS = new Set([
	'title',
	'purpose',
	'workshop_date',
	'source',
	'report',
	'theme',
	'item',
	'kinds',
	'in_report',
	'in_section',
	'in_theme',
	'narrowed',
	'pick'
]);
const SINGLE = ['title', 'purpose', 'workshop_date', 'source', 'report', 'theme', 'narrowed'];

async function liveReports(event: Parameters<PageServerLoad>[0]) {
	return event.locals.app.db
		.selectFrom('reports')
		.select(['slug', 'title_ja', 'title_en'])
		.where('retired_at', 'is', null)
		.orderBy('date')
		.execute();
}

export const load: PageServerLoad = async (event) => {
	const { user } = requireUser(event);
	if (!(await mayCreateBoards(event.locals.app.db, user))) error(403, 'admin.error.board_creation');
	const { db } = event.locals.app;
	const reports = await liveReports(event);
	const params = event.url.searchParams;
	const source = readSource(params, reports[0]?.slug ?? '');
	const narrowing = readNarrowing(params);
	const picked = normaliseSelection(params.getAll(SELECTION_PARAM)).ids;
	const common = {
		reports,
		themes: Object.keys(THEMES) as (keyof typeof THEMES)[],
		kinds: Object.keys(ITEM_KINDS) as (keyof typeof ITEM_KINDS)[],
		limits: { seedItems: LIMITS.seedItems, session: SESSION_CARDS }
	};
	if (!source.success || !narrowing)
		return {
			...common,
			source: { type: 'report' as const, slug: reports[0]?.slug ?? '' },
			narrowing: readNarrowing(new URLSearchParams()) as Narrowing,
			problem: 'newboard.error.filters' as const,
			candidates: [],
			sections: {} as Record<string, SectionInfo>,
			picked
		};
	const { items, sections } = await candidateItems(db, source.data);
	const en = event.locals.locale === 'en';
	return {
		...common,
		source: source.data,
		narrowing: relevantNarrowing(items, narrowing),
		problem: null,
		// Only what the list shows, in the reader's language (a report offers up to ~400 items).
		candidates: items.map(({ titleJa, titleEn, ...rest }) => ({
			...rest,
			title: en ? titleEn : titleJa
		})),
		sections,
		picked
	};
};

/** Every refusal has one shape: errors, the values to show again, and the ticks as sent. */
const refuse = (
	errors: Record<string, FieldError>,
	values: Record<string, string> = {},
	picks: string[] | null = null
) => fail(400, { ...formFailure(errors, values), picks });

export const actions: Actions = {
	default: async (event) => {
		const { user } = requireUser(event);
		if (!(await mayCreateBoards(event.locals.app.db, user)))
			error(403, 'admin.error.board_creation');
		const form = await event.request.formData();
		const values: Record<string, string> = {};
		for (const key of new Set(form.keys())) {
			// Nothing beyond the form's own fields is accepted (no mass assignment).
			if (!FIELDS.has(key)) return refuse({ _form: { key: 'error.generic' } });
			const all = form.getAll(key);
			if (all.some((v) => typeof v !== 'string'))
				return refuse({ _form: { key: 'error.generic' } });
			if (SINGLE.includes(key)) {
				if (all.length !== 1) return refuse({ [key]: { key: 'error.invalid' } });
				values[key] = all[0] as string;
			}
		}
		const errors: Record<string, FieldError> = {};
		const fields = newBoardFields.safeParse({
			title: values.title ?? '',
			purpose: values.purpose ?? '',
			workshop_date: values.workshop_date ?? ''
		});
		if (!fields.success)
			for (const issue of fields.error.issues)
				errors[String(issue.path[0])] ??= issueToFieldError(issue);
		const source = readSource(form, '');
		const narrowing = readNarrowing(form);
		const picks = readPicks(form);
		const back = (errs: Record<string, FieldError>) => refuse(errs, values, picks ?? []);
		if (!source.success || !narrowing || !picks)
			return back({ ...errors, _form: { key: 'newboard.error.filters' } });
		if (narrowing.kinds.length === 0) errors.kinds = { key: 'error.required' };
		if (!fields.success || errors.kinds) return back(errors);

		// The ticked ids are checked against what this source and narrowing offer now, never
		// taken from the form as they are.
		const { app } = event.locals;
		const { items } = await candidateItems(app.db, source.data);
		const { matched } = narrowItems(items, relevantNarrowing(items, narrowing));
		const chosen = checkPicks(matched, picks);
		if (!chosen.ok)
			return back({
				picks:
					chosen.problem === 'too_many'
						? { key: 'newboard.error.too_many', params: { max: LIMITS.seedItems } }
						: { key: chosen.problem === 'none' ? 'newboard.error.none' : 'newboard.error.outside' }
			});
		const { cards } = await seedCardsFor(app.db, { type: 'selection', ids: chosen.ids });
		if (cards.length !== chosen.ids.length)
			return back({ picks: { key: 'newboard.error.outside' } });
		const id = await createBoard(app.db, {
			title: fields.data.title,
			purpose: fields.data.purpose,
			workshopDate: fields.data.workshop_date,
			template: templateOf(source.data, narrowing.kinds, chosen.ids),
			cards,
			author: { id: user.id, name: user.display_name },
			now: app.now()
		});
		redirect(303, `/boards/${id}`);
	}
};
