import { expect, test } from 'vitest';
import * as Y from 'yjs';
import { applyRepair, planRepair, readRepairPlan } from '../../src/lib/server/collab/repair';
import { connect, logRows, openRaw, synced, waitFor } from '../helpers/collab';
import { serverPerTest } from '../helpers/collab-server';

const newServer = serverPerTest();

test('REL-04 a board that needs repair is rebuilt from its usable rows, and opens again', async () => {
	const s = await newServer();
	const t = s;
	const [a, b] = [await t.member(), await t.member()];
	const board = await t.board([
		[a, 'participant'],
		[b, 'participant']
	]);
	// Two writers (two Yjs clients), so losing one's edit leaves the other's intact.
	const pa = connect(t, a, board);
	const pb = connect(t, b, board);
	await Promise.all([synced(pa), synced(pb)]);
	pa.doc.getMap('m').set('a1', '一');
	await waitFor(() => t.collab.registry.stats.committedUpdates >= 1);
	pb.doc.getMap('m').set('b1', '二');
	await waitFor(() => t.collab.registry.stats.committedUpdates >= 2);
	pa.destroy();
	pb.destroy();
	await waitFor(() => t.collab.registry.size === 0, 3000, 'unload');
	// Break it: the snapshot of both edits is replaced by b's edit alone, then a's row is damaged
	// at rest and a row of garbage follows.
	const only = await t.db
		.selectFrom('collab_snapshots')
		.select('seq')
		.where('board_id', '=', board)
		.executeTakeFirstOrThrow();
	const bDoc = new Y.Doc();
	bDoc.getMap('m').set('b-only', 'snapshot');
	const good = Y.encodeStateAsUpdate(bDoc);
	const aDoc = new Y.Doc();
	aDoc.getMap('m').set('a-row', 'row');
	const aRow = Y.encodeStateAsUpdate(aDoc);
	const damaged = Uint8Array.from(aRow);
	damaged[damaged.length - 2] = (damaged[damaged.length - 2] as number) ^ 1;
	await t.db.deleteFrom('collab_snapshots').where('board_id', '=', board).execute();
	await t.db
		.insertInto('collab_updates')
		.values([
			{ board_id: board, seq: only.seq + 1, data: good, created_at: 0 },
			{ board_id: board, seq: only.seq + 2, data: damaged, crc: 0, created_at: 0 },
			{ board_id: board, seq: only.seq + 3, data: Uint8Array.of(9, 9, 9), created_at: 0 }
		])
		.execute();
	const refused = await openRaw(t, a, board);
	expect(await refused.closed).toBe(4422);

	const plan = await readRepairPlan(t.db, board);
	expect(plan.kept).toBe(1);
	expect(plan.dropped.map((d) => [d.seq, d.reason.split(':')[0]])).toEqual([
		[only.seq + 2, 'checksum mismatch'],
		[only.seq + 3, 'invalid update']
	]);
	// Planning writes nothing.
	expect(await openRaw(t, a, board).then((r) => r.closed)).toBe(4422);
	await applyRepair(t.db, plan, Date.now());
	expect(await logRows(t.db, board)).toBe(0);

	const p = connect(t, b, board);
	await synced(p);
	expect(p.doc.getMap('m').toJSON()).toEqual({ 'b-only': 'snapshot' });
	p.doc.getMap('m').set('after', 'repair');
	await waitFor(() => t.collab.registry.stats.committedUpdates >= 3);
	p.destroy();
});

test('a damaged snapshot is left out; rows that built on it are reported as held back', () => {
	const x = new Y.Doc();
	x.getMap('m').set('k', 'v');
	const snapshot = { seq: 4, data: Y.encodeStateAsUpdate(x), crc: 1 };
	const before = Y.encodeStateVector(x);
	x.getMap('m').set('k2', 'needs the snapshot');
	const dependent = { seq: 5, data: Y.encodeStateAsUpdate(x, before), crc: null };
	const y = new Y.Doc();
	y.getMap('m').set('other', 'independent');
	const independent = { seq: 6, data: Y.encodeStateAsUpdate(y), crc: null };

	const plan = planRepair('b', snapshot, [dependent, independent]);
	expect(plan.dropped.map((d) => [d.what, d.seq, d.reason])).toEqual([
		['snapshot', 4, 'checksum mismatch']
	]);
	expect(plan.kept).toBe(2);
	expect(plan.pending).toBe(true);
	expect(plan.lastSeq).toBe(6);
	const doc = new Y.Doc();
	Y.applyUpdate(doc, plan.state);
	expect(doc.getMap('m').toJSON()).toEqual({ other: 'independent' });
});
