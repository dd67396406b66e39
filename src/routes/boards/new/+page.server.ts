import { fail, redirect } from '@sveltejs/kit';
import { parseSelection } from '$lib/domain/library/selection';
import { newBoardFields, readTemplate } from '$lib/domain/board/template';
import { ITEM_KINDS, THEMES } from '$lib/domain/library/vocabulary';
import { issueToFieldError, type FieldError } from '$lib/domain/forms';
import { requireUser } from '$lib/server/auth/guards';
import { createBoard } from '$lib/server/boards/create';
import { seedCardsFor } from '$lib/server/boards/seed-cards';
import { formFailure } from '$lib/server/http/forms';
import { selectItemSummaries, toItemSummaries } from '$lib/server/reports/item-summary';
import type { Actions, PageServerLoad } from './$types';

const FIELDS = new Set([
	'title',
	'purpose',
	'workshop_date',
	'source',
	'report',
	'theme',
	'kinds',
	'item'
]);
const SINGLE = ['title', 'purpose', 'workshop_date', 'source', 'report', 'theme'];

export const load: PageServerLoad = async (event) => {
	requireUser(event);
	const { db } = event.locals.app;
	const selection = parseSelection(event.url.searchParams);
	const selected =
		selection.ids.length === 0
			? []
			: toItemSummaries(
					await selectItemSummaries(db)
						.where('i.id', 'in', selection.ids)
						.where('i.retired_at', 'is', null)
						.execute()
				);
	const reports = await db
		.selectFrom('reports')
		.select(['slug', 'title_ja', 'title_en'])
		.where('retired_at', 'is', null)
		.orderBy('date')
		.execute();
	return {
		reports,
		themes: Object.keys(THEMES) as (keyof typeof THEMES)[],
		kinds: Object.keys(ITEM_KINDS) as (keyof typeof ITEM_KINDS)[],
		// Keep the picked order from the URL.
		selected: selection.ids
			.map((id) => selected.find((s) => s.id === id))
			.filter((s) => s !== undefined)
	};
};

export const actions: Actions = {
	default: async (event) => {
		const { user } = requireUser(event);
		const form = await event.request.formData();
		const values: Record<string, string> = {};
		for (const key of new Set(form.keys())) {
			// Nothing beyond the form's own fields is accepted (no mass assignment).
			if (!FIELDS.has(key)) return fail(400, formFailure({ _form: { key: 'error.generic' } }));
			if (SINGLE.includes(key)) {
				const all = form.getAll(key);
				if (all.length !== 1 || typeof all[0] !== 'string')
					return fail(400, formFailure({ [key]: { key: 'error.invalid' } }));
				values[key] = all[0];
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
		const template = readTemplate(form);
		if (!template.success)
			for (const issue of template.error.issues)
				errors[issue.path[0] === 'kinds' ? 'kinds' : 'source'] ??= issueToFieldError(issue);
		if (!fields.success || !template.success) return fail(400, formFailure(errors, values));

		const { app } = event.locals;
		const { cards } = await seedCardsFor(app.db, template.data);
		if (cards.length === 0)
			return fail(400, formFailure({ source: { key: 'error.no_items' } }, values));
		const id = await createBoard(app.db, {
			title: fields.data.title,
			purpose: fields.data.purpose,
			workshopDate: fields.data.workshop_date,
			template: template.data,
			cards,
			author: { id: user.id, name: user.display_name },
			now: app.now()
		});
		redirect(303, `/boards/${id}`);
	}
};
