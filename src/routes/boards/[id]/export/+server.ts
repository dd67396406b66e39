import { error, redirect } from '@sveltejs/kit';
import { isBoardId } from '$lib/domain/board/id';
import { EXPORT_FORMATS, parseExportQuery } from '$lib/domain/exports/formats';
import { translator } from '$lib/i18n/translate';
import { requireBoardRole } from '$lib/server/auth/guards';
import { renderExport } from '$lib/server/exports/render';
import { exportWait } from '$lib/server/exports/throttle';
import type { RequestHandler } from './$types';
import { metrics } from '$lib/server/metrics/registry';

/**
 * Downloads: `?format=csv|xlsx|md|json|ics|print|results-csv|results-xlsx|audit-csv`. A GET with
 * no side effects (CSRF-03) — nothing is written, not even a log row — authorised per format
 * (EXP-05), rate-limited per user and bounded in size (EXP-07), never cached.
 */
export const GET: RequestHandler = async (event) => {
	const { id } = event.params;
	if (!isBoardId(id)) error(404, 'Not Found');
	const request = parseExportQuery(event.url.searchParams);
	if (!request) error(400, 'Unknown export');
	const { user } = await requireBoardRole(event, id, EXPORT_FORMATS[request.format]);
	if (request.format === 'print') redirect(303, `/boards/${id}/print`);
	const wait = await exportWait(event.locals.app, user.id);
	if (wait > 0) {
		metrics().throttled.inc({ throttle: 'export' });
		return new Response('Too Many Requests\n', {
			status: 429,
			headers: {
				'Retry-After': String(Math.ceil(wait / 1000)),
				'Content-Type': 'text/plain; charset=utf-8'
			}
		});
	}
	const { app, locale } = event.locals;
	const file = await renderExport(app, id, request, translator(locale), app.now());
	if (!file) error(404, 'Not Found');
	return new Response(file.body, {
		headers: {
			'Content-Type': file.contentType,
			'Content-Disposition': file.disposition,
			// EXP-05: exports hold workshop content; no shared or browser cache keeps a copy.
			'Cache-Control': 'no-store'
		}
	});
};
