/**
 * `npm run db:repair-board -- <boardId> [--apply]`: rebuilds the stored document of a board the
 * realtime server refuses as "needs repair" (close code 4422) from the rows that can still be
 * used. Without --apply it only reports what it would keep and leave out. With --apply it first
 * saves every row it leaves out to `repair-<boardId>-<time>.json` beside the database, then writes
 * the repaired snapshot. Safe while the server runs: the server does not load such a board.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isBoardId } from '../../src/lib/domain/board/id';
import { applyRepair, readRepairPlan } from '../../src/lib/server/collab/repair';
import { readConfig } from '../../src/lib/server/config';
import { describeDatabase, openDatabase } from '../../src/lib/server/db/open';
import { migrateToLatest } from '../../src/lib/server/db/migrate';

const args = process.argv.slice(2);
const boardId = args.find((a) => !a.startsWith('--'));
const apply = args.includes('--apply');
if (!boardId || !isBoardId(boardId)) {
	console.error('usage: npm run db:repair-board -- <boardId> [--apply]');
	process.exit(2);
}
const config = readConfig();
const { db } = await openDatabase(config);
try {
	await migrateToLatest(db);
	const board = await db
		.selectFrom('boards')
		.select('id')
		.where('id', '=', boardId)
		.executeTakeFirst();
	if (!board) throw new Error(`no board ${boardId} in ${describeDatabase(config)}`);
	const plan = await readRepairPlan(db, boardId);
	console.info(
		`board ${boardId}: ${plan.kept} stored blobs usable, ${plan.dropped.length} left out`
	);
	for (const d of plan.dropped) console.info(`  ${d.what} ${d.seq}: ${d.reason}`);
	if (plan.pending)
		console.info('  some kept edits build on left-out ones and stay hidden until those arrive');
	if (!apply) {
		console.info('nothing written (add --apply to write the repaired document)');
	} else {
		if (plan.dropped.length > 0) {
			const file = join(dirname(config.databasePath), `repair-${boardId}-${Date.now()}.json`);
			const rows = plan.dropped.map((d) => ({
				...d,
				data: Buffer.from(d.data).toString('base64')
			}));
			writeFileSync(file, JSON.stringify({ boardId, rows }, null, '\t'));
			console.info(`left-out rows saved to ${file}`);
		}
		await applyRepair(db, plan, Date.now());
		console.info(`repaired: one snapshot now covers everything up to seq ${plan.lastSeq}`);
	}
} catch (e) {
	console.error(e instanceof Error ? e.message : e);
	process.exitCode = 1;
} finally {
	await db.destroy();
}
