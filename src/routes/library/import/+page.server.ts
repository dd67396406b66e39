import { fail, redirect } from '@sveltejs/kit';
import { requireImporter } from '$lib/server/library-import/guard';
import { analyseSource } from '$lib/server/library-import/analyse';
import { createDraft, listImports } from '$lib/server/library-import/drafts';
import { ImportError } from '$lib/server/library-import/import-error';
import { IMPORT_LIMITS } from '$lib/server/library-import/limits';
import { logger } from '$lib/server/log/logger';
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
				logRefusal(event.locals.requestId, user.id, file, e);
				return fail(400, { error: e.code });
			}
			throw e;
		}
		redirect(303, `/library/import/${id}`);
	}
};

/** The import's own limits (time, memory): worth an operator's look if they keep firing. */
const LIMIT_CODES: ReadonlySet<string> = new Set(['timeout', 'out_of_memory']);

/**
 * One line per refused upload, tied to the request's own line by its id. Never the file's
 * content: its size, and its name only as a field (user input, capped; pino escapes it, so it
 * cannot forge a line) — the name is what a curator asking "why was my file refused" gives the
 * operator. A file that simply is not importable is ordinary use (`info`); the import's time or
 * memory limit firing is `warn`.
 */
function logRefusal(requestId: string, userId: number, file: File, e: ImportError): void {
	const fields = {
		requestId,
		userId,
		reason: e.code,
		// The extractor's own words (a parser's message), capped: never the document's text.
		detail: e.message.slice(0, 200),
		file: file.name.slice(0, 200),
		bytes: file.size
	};
	if (LIMIT_CODES.has(e.code)) logger.warn(fields, 'import: upload refused');
	else logger.info(fields, 'import: upload refused');
}
