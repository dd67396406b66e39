import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as prng from 'lib0/prng';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { expect, test } from './fixtures';
import { generateBoardId } from '../../src/lib/domain/board/id';
import { MESSAGE_SAVED, readSaved, savedParams } from '../../src/lib/collab/saved';
import { createSession } from '../../src/lib/server/auth/sessions';
import { createDb } from '../../src/lib/server/db/connect';
import { migrateToLatest } from '../../src/lib/server/db/migrate';
import { pgDb } from '../../src/lib/server/db/postgres';
import { createPgDatabase, dropPgDatabase } from '../helpers/db';
import { socketClass } from '../helpers/collab';
import { createUser } from '../helpers/users';
import { E2E } from './env';

/**
 * REL-01 / DUR-03 / G4, Jepsen-style on one node: writers record every edit and when it was
 * acknowledged (the server's "saved" report for their own edits; for everyone else's, having
 * received them from the server). The built server is killed with SIGKILL at a random moment,
 * restarted on the same database, and every acknowledged or seen edit must be there.
 */
const SEED = Number(process.env.CRASH_SEED ?? Date.now() % 1_000_000);
const ROUNDS = 3;
const WRITERS = 4;
const port = E2E.port + 20;
const origin = `http://localhost:${port}`;

interface Op {
	key: string;
	clock: number;
	acked: boolean;
}

test('REL-01 no acknowledged edit is lost when the server is killed', async () => {
	test.setTimeout(180_000);
	// Printed so a failure can be replayed with CRASH_SEED.
	test.info().annotations.push({ type: 'seed', description: String(SEED) });
	console.info(`collab-crash seed ${SEED}`);
	const dir = mkdtempSync(join(tmpdir(), 'yoriai-crash-'));
	// On SQLite a file; under playwright.postgres.config.ts a database of its own.
	const pgName = `yoriai_pg_crash_${port}`;
	const dbPath = E2E.databaseUrl
		? (await dropPgDatabase(pgName), await createPgDatabase(pgName))
		: join(dir, 'crash.db');
	const gen = prng.create(SEED);
	const { db } = E2E.databaseUrl ? pgDb(dbPath) : createDb(dbPath);
	await migrateToLatest(db);
	const board = generateBoardId();
	const users = [];
	for (let i = 0; i < WRITERS; i++)
		users.push(await createUser(db, { displayName: `書き手 ${i}` }));
	await db
		.insertInto('boards')
		.values({ id: board, title: 'crash', template: '{}', created_by: users[0]!.id, created_at: 0 })
		.execute();
	const tokens: string[] = [];
	for (const u of users) {
		await db
			.insertInto('board_members')
			.values({ board_id: board, user_id: u.id, role: 'participant', added_by: null, added_at: 0 })
			.execute();
		tokens.push((await createSession(db, u.id, Date.now(), 'crash')).token);
	}
	await db.destroy();

	let server = await startServer(dbPath);
	const ops: Op[][] = tokens.map(() => []);
	const seen = new Set<string>();
	const providers = tokens.map((token, i) => writer(token, board, ops[i]!, seen));
	await Promise.all(providers.map(waitSynced));

	try {
		for (let round = 0; round < ROUNDS; round++) {
			let writing = true;
			const loops = providers.map(async (p, i) => {
				for (let n = 0; writing && n < 10_000; n++) {
					const key = `r${round}w${i}n${n}`;
					p.doc.getMap('ops').set(key, n);
					ops[i]!.push({ key, clock: Y.getState(p.doc.store, p.doc.clientID), acked: false });
					await sleep(prng.uint32(gen, 2, 15));
				}
			});
			await sleep(prng.uint32(gen, 500, 3000));
			server.kill('SIGKILL');
			await new Promise((r) => server.once('exit', r));
			writing = false;
			await Promise.all(loops);
			// The writers stay away until the check: what is restored must come from the disk, not
			// from the writers resending what they still hold.
			providers.forEach((p) => p.disconnect());

			const acked = ops.flat().filter((o) => o.acked);
			const mustHave = new Set([...acked.map((o) => o.key), ...seen]);
			expect(acked.length, `round ${round}: some edits were acknowledged`).toBeGreaterThan(0);
			console.info(
				`round ${round}: ${ops.flat().length} edits, ${acked.length} acknowledged, ${seen.size} seen by others`
			);

			server = await startServer(dbPath);
			const restored = await readBack(tokens[0]!, board);
			const missing = [...mustHave].filter((k) => !restored.has(k));
			expect(missing, `seed ${SEED} round ${round}: acknowledged edits lost`).toEqual([]);

			// G4: back online, the writers resend what never reached the disk, and all converge.
			providers.forEach((p) => p.connect());
			const all = ops.flat().map((o) => o.key);
			await expect
				.poll(
					async () => {
						const now = await readBack(tokens[0]!, board);
						return all.filter((k) => !now.has(k)).length;
					},
					{ timeout: 15_000 }
				)
				.toBe(0);
		}
	} finally {
		providers.forEach((p) => {
			p.destroy();
			p.doc.destroy();
		});
		server.kill('SIGTERM');
		await new Promise((r) => server.once('exit', r));
	}
	if (E2E.databaseUrl) {
		await dropPgDatabase(pgName);
	} else {
		const check = createDb(dbPath);
		expect(check.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
		check.sqlite.close();
	}
	rmSync(dir, { recursive: true, force: true });
});

async function startServer(dbPath: string): Promise<ChildProcess> {
	const child = spawn(process.execPath, ['build-server/main.js'], {
		env: {
			...process.env,
			PORT: String(port),
			HOST: '127.0.0.1',
			...(E2E.databaseUrl ? { DATABASE_URL: dbPath } : { DATABASE_PATH: dbPath })
		},
		stdio: ['ignore', 'pipe', 'inherit']
	});
	let out = '';
	child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
	await expect.poll(() => out, { timeout: 20_000 }).toContain('listening');
	return child;
}

/** A stock client that also asks for saved reports, and records what it was told. */
function writer(token: string, board: string, ops: Op[], seen: Set<string>): WebsocketProvider {
	const p = new WebsocketProvider(`ws://localhost:${port}/collab`, board, new Y.Doc(), {
		WebSocketPolyfill: socketClass({ Origin: origin, Cookie: `__Host-yoriai_session=${token}` }),
		disableBc: true,
		params: savedParams(),
		maxBackoffTime: 300
	});
	p.messageHandlers[MESSAGE_SAVED] = (_e, decoder) => {
		const clock = readSaved(decoder, p.doc.clientID);
		for (const op of ops) if (op.clock <= clock) op.acked = true;
	};
	// Edits by others arrive only from the server, after it committed them.
	p.doc.getMap('ops').observe((e, tr) => {
		if (tr.origin === p) for (const k of e.keysChanged) seen.add(k);
	});
	return p;
}

async function readBack(token: string, board: string): Promise<Set<string>> {
	const p = new WebsocketProvider(`ws://localhost:${port}/collab`, board, new Y.Doc(), {
		WebSocketPolyfill: socketClass({ Origin: origin, Cookie: `__Host-yoriai_session=${token}` }),
		disableBc: true
	});
	try {
		await waitSynced(p);
		return new Set(p.doc.getMap('ops').keys());
	} finally {
		p.destroy();
		p.doc.destroy();
	}
}

function waitSynced(p: WebsocketProvider): Promise<void> {
	return p.synced ? Promise.resolve() : new Promise((r) => p.once('sync', () => r()));
}

function sleep(ms: number): Promise<void> {
	return new Promise((r) => setTimeout(r, ms));
}
