import { fail, redirect } from '@sveltejs/kit';
import { requireImporter } from '$lib/server/library-import/guard';
import { analyseSource } from '$lib/server/library-import/analyse';
import { createDraft, listImports } from '$lib/server/library-import/drafts';
import { ImportError } from '$lib/server/library-import/import-error';
import { IMPORT_LIMITS } from '$lib/server/library-import/limits';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = await requireImporter(event);
	return {
		imports: await listImports(event.locals.app.db, user),
		limits: { mb: IMPORT_LIMITS.maxBytes / 1024 / 1024, pages: IMPORT_LIMITS.maxPages }
	};
};

export const actions: Actions = {
	upload: async (event) => {
		const user = await requireImporter(event);
		const form = await event.request.formData();
		const file = form.get('file');
		if (!(file instanceof File) || file.size === 0) return fail(400, { error: 'empty' as const });
		if (file.size > IMPORT_LIMITS.maxBytes) return fail(413, { error: 'too_large' as const });
		const bytes = new Uint8Array(await file.arrayBuffer());
		let id: string;
		try {
			const analysis = await analyseSource({ name: file.name, bytes });
			id = await createDraft(
				event.locals.app.db,
				user,
				file.name,
				analysis,
				event.locals.app.now()
			);
		} catch (e) {
			if (e instanceof ImportError) {
				console.warn(`[import] refused ${file.name}: ${e.message}`);
				return fail(400, { error: e.code });
			}
			throw e;
		}
		redirect(303, `/library/import/${id}`);
	}
};
