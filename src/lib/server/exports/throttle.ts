import { TokenBucket } from '../collab/token-bucket';

/**
 * EXP-07: exports are bounded by construction (per-board limits on actions, decisions, sessions
 * and audit rows), and each user may start at most a burst of 30, then one a second — enough for
 * anyone downloading every format, not enough to keep a server busy rendering workbooks.
 * In-memory and per process, like the sign-in throttles.
 */
const RATE = 1;
const BURST = 30;
/** Forget everyone past this many users rather than grow without bound; their buckets were full. */
const MAX_TRACKED = 10_000;

const buckets = new Map<number, TokenBucket>();

/** Milliseconds to wait before this user may export again; 0 = now (and the export is charged). */
export function exportWait(userId: number): number {
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
