import {
	DECISION_LIMITS,
	decisionForm,
	dissentFromForm,
	editActionForm,
	newActionForm,
	ownerFromForm
} from '../../domain/decisions/forms';
import type { CardRef } from '../../domain/decisions/schemas';
import { mergedRefs } from '../../domain/exports/cards';
import type { FieldError } from '../../domain/forms';
import { CARD_ID_PATTERN } from '../../domain/votes/forms';
import { publishedAggregates } from '../../domain/votes/results';
import type { CollabApp } from '../collab';
import { formFailure, readForm, type FormFailure } from '../http/forms';
import { takeRepeated } from '../http/params';
import { readBoardCards } from '../votes/cards';
import { loadResults } from '../votes/results';
import { getSession } from '../votes/sessions';
import type { ActionFields } from './actions';
import type { DecisionInput } from './decisions';

type Parsed<T> = { ok: true; value: T } | { ok: false; failure: FormFailure };

const failed = (errors: Record<string, FieldError>, values: Record<string, string> = {}) =>
	({ ok: false, failure: formFailure(errors, values) }) as const;

/**
 * A decision form: the text fields, the chosen cards (copied with their sources from the
 * server's copy of the board) and, if one was picked, a revealed vote of this board whose
 * published results are frozen into the decision.
 */
export async function readDecisionForm(
	app: CollabApp,
	boardId: string,
	form: FormData
): Promise<Parsed<DecisionInput>> {
	const taken = takeRepeated(form, 'card', CARD_ID_PATTERN, DECISION_LIMITS.cardsPerDecision);
	if (!taken) return failed({ cards: { key: 'error.invalid' } });
	const parsed = readForm(taken.rest, decisionForm);
	if (!parsed.ok) return { ok: false, failure: formFailure(parsed.errors, parsed.values) };
	const values = Object.fromEntries(
		Object.entries(parsed.data).filter((e): e is [string, string] => typeof e[1] === 'string')
	);
	if (taken.values.length === 0)
		return failed({ cards: { key: 'decision.error.no_cards' } }, values);

	const board = await readBoardCards(app, boardId);
	const cards: CardRef[] = [];
	for (const id of taken.values) {
		const c = board.byId.get(id);
		// Archived cards (by hand or merged away) are counted nowhere, decisions included.
		if (!c || c.archived) return failed({ cards: { key: 'error.invalid' } }, values);
		const card: CardRef = { id, title: c.title, sources: c.sources };
		if (c.mergedFrom.length > 0) card.mergedFrom = mergedRefs(c);
		cards.push(card);
	}

	let vote: DecisionInput['vote'] = null;
	const sessionId = parsed.data.vote;
	if (sessionId !== undefined && sessionId !== '') {
		const session = await getSession(app.db, boardId, sessionId);
		// Only a revealed vote can back a decision: its results are public by then.
		if (!session || session.revealedAt === null)
			return failed({ vote: { key: 'decision.error.vote' } }, values);
		vote = { sessionId, results: publishedAggregates(await loadResults(app.db, session, board)) };
	}
	return {
		ok: true,
		value: {
			text: parsed.data.text,
			rationale: parsed.data.rationale,
			dissent: dissentFromForm(parsed.data),
			cards,
			vote
		}
	};
}

/** A new action's fields (title, owner, due date, notes). */
export function readNewActionForm(form: FormData): Parsed<ActionFields & { notes: string }> {
	const parsed = readForm(form, newActionForm);
	if (!parsed.ok) return { ok: false, failure: formFailure(parsed.errors, parsed.values) };
	const owner = ownerFromForm(parsed.data.owner, parsed.data.owner_name);
	if (!owner) return failed({ owner_name: { key: 'error.required' } });
	return {
		ok: true,
		value: {
			title: parsed.data.title,
			owner,
			due: parsed.data.due || null,
			notes: parsed.data.notes ?? ''
		}
	};
}

/** An action's title, owner and due date, as a facilitator edits them. */
export function readEditActionForm(form: FormData): Parsed<ActionFields & { action: number }> {
	const parsed = readForm(form, editActionForm);
	if (!parsed.ok) return { ok: false, failure: formFailure(parsed.errors, parsed.values) };
	const owner = ownerFromForm(parsed.data.owner, parsed.data.owner_name);
	if (!owner) return failed({ owner_name: { key: 'error.required' } });
	return {
		ok: true,
		value: {
			action: parsed.data.action,
			title: parsed.data.title,
			owner,
			due: parsed.data.due || null
		}
	};
}
