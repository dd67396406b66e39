import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import * as prng from 'lib0/prng';
import * as Y from 'yjs';
import WebSocket from 'ws';
import { fullClient, waitUntil, type Client } from './realtime/clients';
import { prepareOurs } from './realtime/fixtures';
import { HARNESS_CPU, sleep, startServer, stopServer, type Kind } from './realtime/servers';

spawnSync('taskset', ['-a', '-p', '-c', HARNESS_CPU, String(process.pid)], { stdio: 'ignore' });
process.setMaxListeners(1000);
const counts = new Map<string, { n: number; bytes: number }>();
let counting = false;
const emit = WebSocket.prototype.emit;
WebSocket.prototype.emit = function (ev: string, ...args: unknown[]) {
  if (counting && ev === 'message') {
    const d = new Uint8Array(args[0] as ArrayBuffer);
    const k = d[0] === 0 ? `sync${d[1]}` : `type${d[0]}`;
    const c = counts.get(k) ?? { n: 0, bytes: 0 };
    c.n++; c.bytes += d.length; counts.set(k, c);
  }
  return emit.call(this, ev, ...args);
};
const kind = (process.argv[2] ?? 'ours') as Kind;
const dir = mkdtempSync(join(tmpdir(), 'probe-'));
const dbPath = join(dir, 'a.db');
let room = 'room0'; let tokens = Array.from({ length: 16 }, () => 'none');
if (kind === 'ours') { const f = await prepareOurs(dbPath, 16, 1, () => null); room = f.boards[0]!; tokens = f.tokens; }
const server = await startServer(kind, 4792, dbPath);
const gen = prng.create(9);
const clients: Client[] = [];
for (let i = 0; i < 200; i++) clients.push(fullClient(server, room, tokens[i % 16]!));
await Promise.all(clients.map((c) => c.whenSynced()));
clients[0]!.doc.getMap('cards').set('seed', 'x'.repeat(2000));
await sleep(1000);
clients.forEach((c) => c.disconnect());
clients.forEach((c, i) => c.doc.getMap('offline').set(`c${i}`, i));
counting = true;
const t0 = performance.now();
const cpu0 = process.cpuUsage();
for (const c of clients) setTimeout(() => c.connect(), prng.uint32(gen, 0, 1000));
const hash = (c: Client) => Buffer.from(Y.encodeStateVector(c.doc)).toString('hex');
await waitUntil(() => { const h = hash(clients[0]!); return clients.every((c) => c.synced() && c.doc.getMap('offline').size === 200 && hash(c) === h); }, 20_000, 'storm');
const ms = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
console.log(kind, 'converged', ms.toFixed(0), 'harness cpu s', ((cpu.user + cpu.system) / 1e6).toFixed(2));
console.log([...counts].map(([k, v]) => `${k}: ${v.n} msgs ${(v.bytes / 1024).toFixed(0)} KiB`).join(' | '));
clients.forEach((c) => c.destroy());
await stopServer(server);
process.exit(0);
