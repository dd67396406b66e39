import { error, fail, redirect } from '@sveltejs/kit';
import {
	extendTimer,
	pauseTimer,
	resumeTimer,
	startTimer,
	type Facilitation
} from '$lib/domain/board/facilitation';
import {
	lockForm,
	phaseForm,
	spotlightForm,
	timerForm
} from '$lib/domain/board/facilitation-forms';
import { isBoardId } from '$lib/domain/board/id';
import { requireBoardRole } from '$lib/server/auth/guards';
import { draftCounts, revealDrafts, updateFacilitation } from '$lib/server/boards/facilitation';
import { formFailure, readForm } from '$lib/server/http/forms';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

/**
 * The facilitator's controls. Every action is a form post that also works without JavaScript;
 * the board page posts to them with `use:enhance`. GET only sends people back to the board.
 */
export const load: PageServerLoad = ({ params }) => redirect(303, `/boards/${params.id}`);

async function guard(event: RequestEvent) {
	if (!isBoardId(event.params.id)) error(404, 'Not Found');
	await requireBoardRole(event, event.params.id, 'facilitate');
	return event.params.id;
}

async function apply(event: RequestEvent, change: (f: Facilitation, now: number) => Facilitation) {
	const id = await guard(event);
	const { app } = event.locals;
	const now = app.now();
	await updateFacilitation(app, id, (f) => change(f, now));
	return { ok: true };
}

export const actions: Actions = {
	phase: async (event) => {
		const form = readForm(await event.request.formData(), phaseForm);
		if (!form.ok) return fail(400, formFailure(form.errors));
		return apply(event, (f) => ({ ...f, phase: form.data.phase }));
	},
	lock: async (event) => {
		const form = readForm(await event.request.formData(), lockForm);
		if (!form.ok) return fail(400, formFailure(form.errors));
		return apply(event, (f) => ({ ...f, locked: form.data.locked }));
	},
	timer: async (event) => {
		const form = readForm(await event.request.formData(), timerForm);
		if (!form.ok) return fail(400, formFailure(form.errors));
		const d = form.data;
		return apply(event, (f, now) => {
			if (d.op === 'start') return { ...f, timer: startTimer(d.minutes * 60_000, now) };
			if (d.op === 'clear' || !f.timer) return { ...f, timer: null };
			if (d.op === 'extend') return { ...f, timer: extendTimer(f.timer, d.minutes * 60_000, now) };
			if (d.op === 'pause') return { ...f, timer: pauseTimer(f.timer, now) };
			return { ...f, timer: resumeTimer(f.timer, now) };
		});
	},
	spotlight: async (event) => {
		const form = readForm(await event.request.formData(), spotlightForm);
		if (!form.ok) return fail(400, formFailure(form.errors));
		const d = form.data;
		return apply(event, (f) => ({
			...f,
			spotlight:
				d.kind === 'none' ? null : { kind: d.kind, id: d.id, seq: (f.spotlight?.seq ?? 0) + 1 }
		}));
	},
	reveal: async (event) => {
		const id = await guard(event);
		const revealed = await revealDrafts(event.locals.app, id);
		return { ok: true, revealed, waiting: await draftCounts(event.locals.app.db, id) };
	}
};
