import { expect, test } from 'vitest';
import * as Y from 'yjs';
import { BoardClient } from '../../src/lib/collab/board-client.svelte';
import {
	addCard,
	addComment,
	readBoard,
	readComments,
	seedBoard
} from '../../src/lib/domain/board/doc';
import { storeInitialState } from '../../src/lib/server/collab/index';
import { connect, disconnect, headersFor, socketClass, synced, waitFor } from '../helpers/collab';
import { serverPerTest } from '../helpers/collab-server';

const newServer = serverPerTest();

test('AC-01 a tab whose change is refused (a race with a phase change) resyncs and keeps its later work', async () => {
	const s = await newServer();
	const fac = await s.member();
	const a = await s.member();
	const board = await s.board([
		[fac, 'facilitator'],
		[a, 'participant']
	]);
	const seed = new Y.Doc();
	seedBoard(
		seed,
		[{ title: '種', titleEn: '', note: '', kind: 'issue', sources: [] }],
		{
			id: fac.user.id,
			name: fac.user.displayName
		},
		1
	);
	await storeInitialState(s.db, board, Y.encodeStateAsUpdate(seed));
	const view = readBoard(seed);
	const lane = view.lanes[0]!.id;
	const card = view.lanes.flatMap((l) => l.cards)[0]!.id;

	const me = { id: a.user.id, name: a.user.displayName, sector: 'industry' };
	const client = new BoardClient(board, me, {
		url: s.wsBase,
		WebSocketPolyfill: socketClass(headersFor(s, a.token)),
		cache: false
	});
	try {
		await synced(client.provider);
		const first = client.doc;
		// The facilitator has just moved the board to voting; this tab has not heard yet.
		s.app.events.emit('facilitation-changed', { boardId: board, phase: 'vote', locked: false });
		const author = { id: me.id, name: me.name };
		client.change((d) => addCard(d, { title: '遅れた追加', lane, author, now: 2 }));
		client.change((d) => addComment(d, card, { text: 'そのあとの意見', author, now: 3 }));
		expect(readBoard(first).lanes.flatMap((l) => l.cards)).toHaveLength(2);

		await waitFor(() => client.refused === 'phase', 5000, 'the refusal');
		await waitFor(
			() =>
				client.doc !== first &&
				client.provider.synced &&
				readComments(client.doc, card).some((c) => c.text === 'そのあとの意見'),
			5000,
			'resync and replay'
		);
		// The tab shows the server's board: the refused card is gone, the later comment kept.
		expect(client.doc.clientID).not.toBe(first.clientID);
		expect(
			readBoard(client.doc)
				.lanes.flatMap((l) => l.cards)
				.map((c) => c.id)
		).toEqual([card]);
		// And everyone else sees the same.
		const other = connect(s, fac, board);
		await synced(other);
		await waitFor(() => readComments(other.doc, card).length === 1, 3000, 'the comment stored');
		expect(readBoard(other.doc).lanes.flatMap((l) => l.cards)).toHaveLength(1);
		expect(s.collab.stats.refusedByRule.phase).toBe(1);
		disconnect(other);
		client.dismissRefusal();
		expect(client.refused).toBeNull();
	} finally {
		client.destroy();
	}
});
