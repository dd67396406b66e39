import type { App } from '../app';
import { SharedTokenBucket } from '../auth/shared-throttle';
import { TokenBucket } from '../collab/token-bucket';

/**
 * EXP-07: exports are bounded by construction (per-board limits on actions, decisions, sessions
 * and audit rows), and each user may start at most a burst of 30, then one a second — enough for
 * anyone downloading every format, not enough to keep a server busy rendering workbooks.
 * In memory on SQLite; on PostgreSQL in the database, shared by every process, like the sign-in
 * throttles (auth/shared-throttle.ts).
 */
const RATE = 1;
const BURST = 30;
/** Forget everyone past this many users rather than grow without bound; their buckets were full. */
const MAX_TRACKED = 10_000;

const buckets = new Map<number, TokenBucket>();

const SHARED = Symbol.for('yoriai.exportThrottle');
type Holder = { [SHARED]?: SharedTokenBucket };

/** Milliseconds to wait before this user may export again; 0 = now (and the export is charged). */
export async function exportWait(
	app: Pick<App, 'db' | 'database' | 'now'>,
	userId: number
): Promise<number> {
	if (app.database.dialect === 'postgres') {
		const holder = app as Holder;
		holder[SHARED] ??= new SharedTokenBucket(app.db, 'export', BURST, RATE);
		return holder[SHARED].take(String(userId), app.now());
	}
	let bucket = buckets.get(userId);
	if (!bucket) {
		if (buckets.size >= MAX_TRACKED) buckets.clear();
		bucket = new TokenBucket(RATE, BURST);
		buckets.set(userId, bucket);
	}
	const wait = bucket.wait(1);
	if (wait === 0) bucket.charge(1);
	return wait;
}
