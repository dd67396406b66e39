import { createServer } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';

/**
 * The benchmark's window into a server process (all three adapters load it): event-loop delay
 * since the last reset, heap and RSS (after a forced GC when the process runs with --expose-gc),
 * and a count of loaded documents. Served on its own loopback port.
 */
export function serveStats(port: number, loadedDocs: () => number): void {
	const resolution = 2;
	const delay = monitorEventLoopDelay({ resolution });
	delay.enable();
	// The histogram holds whole timer intervals; the delay is what exceeds the interval.
	const ms = (ns: number) => Math.max(0, ns / 1e6 - resolution);
	createServer((req, res) => {
		const url = new URL(req.url ?? '/', 'http://localhost');
		if (url.searchParams.has('gc')) (globalThis as { gc?: () => void }).gc?.();
		const mem = process.memoryUsage();
		const body = {
			loopP50: ms(delay.percentile(50)),
			loopP99: ms(delay.percentile(99)),
			loopMax: ms(delay.max),
			heapUsed: mem.heapUsed,
			rss: mem.rss,
			docs: loadedDocs()
		};
		if (url.searchParams.has('reset')) delay.reset();
		res.writeHead(200, { 'Content-Type': 'application/json' });
		res.end(JSON.stringify(body));
	}).listen(port, '127.0.0.1');
}
