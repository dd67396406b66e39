/**
 * Votes and exports under load, through the same functions the form actions call:
 * - 1,000 voters cast a dot-voting ballot at once on a 200-card board. Each ballot does what
 *   the `cast` action does — reads the board's current wording, validates and stores the
 *   ballot in one write transaction, then starts the progress broadcast — and is "accepted"
 *   when its transaction has committed, measured from the moment all 1,000 were started (so
 *   it includes queueing behind the others: one SQLite writer takes them one at a time).
 *   Then how long after the last ballot the board document shows all 1,000.
 * - The tally of those 1,000 ballots (loading them and building the published results).
 * - Each export format for a board with 1,000 actions, each with two sources.
 * Targets: all 1,000 accepted within 5 s, progress within 1 s of the last; tally under
 * 500 ms; each export under 2 s.
 */
import { SECTORS } from '../../src/lib/domain/accounts/sectors';
import type { FileRequest } from '../../src/lib/domain/exports/formats';
import { translator } from '../../src/lib/i18n/translate';
import { createAction } from '../../src/lib/server/decisions/actions';
import { recordDecision } from '../../src/lib/server/decisions/decisions';
import { renderExport } from '../../src/lib/server/exports/render';
import { castBallot } from '../../src/lib/server/votes/ballots';
import { readVoteProgress } from '../../src/lib/domain/votes/progress';
import { readBoardDoc } from '../../src/lib/server/collab';
import { readBoardCards, votableWordings } from '../../src/lib/server/votes/cards';
import { publishProgress } from '../../src/lib/server/votes/progress';
import { loadResults } from '../../src/lib/server/votes/results';
import { closeSession, getSession, revealSession } from '../../src/lib/server/votes/sessions';
import { startVote } from '../../src/lib/server/votes/start';
import { startTestServer, type TestServer } from '../helpers/collab';
import { voteBoard } from '../helpers/votes';
import { median, percentile, timed, type Figure } from './bench';

const CARDS = 200;
const VOTERS = 1000;
const ACTIONS = 1000;
const BUDGET = 5;
const CAP = 3;
const TALLY_ROUNDS = 5;
const EXPORT_ROUNDS = 3;

/** Accounts straight into the table: hashing 1,000 passwords would dominate the setup. */
async function addVoters(
	s: TestServer,
	boardId: string
): Promise<{ id: number; sector: string }[]> {
	const now = Date.now();
	const rows = Array.from({ length: VOTERS }, (_, i) => ({
		username_key: `bench${i}`,
		username: `bench${i}`,
		display_name: `投票者 ${i}`,
		sector: SECTORS[i % SECTORS.length]!,
		organisation: 'ベンチ',
		password_hash: '-',
		locale: null,
		created_at: now,
		password_changed_at: now
	}));
	const users = await s.db.insertInto('users').values(rows).returning(['id', 'sector']).execute();
	await s.db
		.insertInto('board_members')
		.values(
			users.map((u) => ({
				board_id: boardId,
				user_id: u.id,
				role: 'participant' as const,
				added_by: null,
				added_at: now
			}))
		)
		.execute();
	return users;
}

/** A deterministic spread of dots: voter i favours cards near i, within budget and cap. */
function ballotOf(i: number, cards: readonly string[]) {
	const entries = [];
	let left = BUDGET;
	for (let k = 0; left > 0; k++) {
		const value = Math.min(CAP, left, 1 + ((i + k) % CAP));
		entries.push({ cardId: cards[(i * 7 + k * 13) % cards.length]!, value, value2: null });
		left -= value;
	}
	return entries;
}

export async function run(): Promise<Figure[]> {
	const s = await startTestServer();
	try {
		const board = await voteBoard(s.app, CARDS);
		const voters = await addVoters(s, board.id);
		const actor = { id: board.facilitator.id, name: board.facilitator.displayName };
		const opened = await startVote(
			s.app,
			board.id,
			{
				title: 'ベンチ',
				settings: { method: 'dots', budget: BUDGET, cap: CAP },
				cards: board.cards,
				anonymous: true,
				minGroup: 3,
				deadline: null
			},
			actor,
			Date.now()
		);
		if (!opened.ok) throw new Error(opened.error);
		const sid = opened.id;
		const session = (await getSession(s.db, board.id, sid))!;

		const latencies: number[] = [];
		const published: Promise<void>[] = [];
		const start = performance.now();
		const outcomes = await Promise.all(
			voters.map(async (v, i) => {
				const wordings = votableWordings(await readBoardCards(s.app, board.id), session.cards);
				const r = await castBallot(
					s.db,
					board.id,
					sid,
					v,
					ballotOf(i, board.cards),
					wordings,
					Date.now()
				);
				// Accepted (committed): the form action answers now; progress follows in the background.
				latencies.push(performance.now() - start);
				published.push(publishProgress(s.app, board.id, sid));
				return r.ok;
			})
		);
		const acceptAll = performance.now() - start;
		await Promise.all(published);
		const progressLag = performance.now() - start - acceptAll;
		if (outcomes.some((ok) => !ok)) throw new Error('a bench ballot was refused');
		const doc = await readBoardDoc(s.app, board.id);
		const shown = readVoteProgress(doc).find((p) => p.sessionId === sid);
		doc.destroy();
		if (shown?.voted !== VOTERS) throw new Error(`progress shows ${shown?.voted} voters`);

		await closeSession(s.db, board.id, sid, actor, Date.now());
		await revealSession(s.db, board.id, sid, actor, Date.now());
		const revealed = (await getSession(s.db, board.id, sid))!;
		const cards = await readBoardCards(s.app, board.id);
		const tallies: number[] = [];
		for (let r = 0; r < TALLY_ROUNDS; r++)
			tallies.push(await timed(() => loadResults(s.db, revealed, cards)));

		const decision = await recordDecision(
			s.db,
			board.id,
			null,
			{
				text: 'ベンチの決定',
				rationale: '',
				dissent: [],
				cards: board.cards.slice(0, 2).map((id) => {
					const c = cards.byId.get(id)!;
					return { id, title: c.title, sources: c.sources };
				}),
				vote: null
			},
			actor,
			Date.now()
		);
		if (!decision.ok) throw new Error(decision.error);
		for (let i = 0; i < ACTIONS; i++)
			await createAction(
				s.db,
				board.id,
				decision.id,
				{
					title: `アクション ${i}: 工程表を作り、関係者と合意する`,
					owner: { kind: 'organisation', name: `組織 ${i % 20}` },
					due: `2027-${String((i % 12) + 1).padStart(2, '0')}-15`,
					notes: '進捗は月次で報告する'
				},
				actor,
				Date.now()
			);

		const t = translator('ja');
		const formats: FileRequest[] = [
			{ format: 'csv' },
			{ format: 'xlsx' },
			{ format: 'md' },
			{ format: 'json' },
			{ format: 'ics' },
			{ format: 'results-csv', session: sid },
			{ format: 'results-xlsx', session: sid }
		];
		const exportFigures: Figure[] = [];
		for (const f of formats) {
			const times: number[] = [];
			for (let r = 0; r < EXPORT_ROUNDS; r++)
				times.push(
					await timed(async () => {
						if (!(await renderExport(s.app, board.id, f, t, Date.now()))) throw new Error(f.format);
					})
				);
			const what = f.format.startsWith('results') ? `${CARDS} cards` : `${ACTIONS} actions`;
			exportFigures.push({
				name: `export ${f.format}, ${what} (median of ${EXPORT_ROUNDS})`,
				value: median(times),
				unit: 'ms',
				max: 2000
			});
		}

		return [
			{
				name: `${VOTERS} ballots at once on ${CARDS} cards: all accepted`,
				value: acceptAll,
				unit: 'ms',
				max: 5000
			},
			{
				name: 'ballot accepted, p50 (from the common start)',
				value: percentile(latencies, 50),
				unit: 'ms'
			},
			{
				name: 'ballot accepted, p99 (from the common start)',
				value: percentile(latencies, 99),
				unit: 'ms'
			},
			{
				name: `live progress shows all ${VOTERS}, after the last ballot`,
				value: progressLag,
				unit: 'ms',
				max: 1000
			},
			{
				name: `tally of ${VOTERS} ballots, load + results (median of ${TALLY_ROUNDS})`,
				value: median(tallies),
				unit: 'ms',
				max: 500
			},
			...exportFigures
		];
	} finally {
		await s.close();
	}
}
