/**
 * Every bound the realtime server enforces, with the reason for its value (WS-08…WS-13). Tests
 * and benchmarks pass overrides; production uses the defaults.
 */
export interface CollabLimits {
	/** Largest WebSocket message accepted; ws closes bigger frames with 1009. */
	maxPayloadBytes: number;
	/** Largest encoded board state; an update that would grow a board past it is refused. */
	maxDocBytes: number;
	/** Sustained messages per second per connection, and the burst allowed above it. */
	messagesPerSecond: number;
	messageBurst: number;
	/** Sustained bytes per second per connection, and the burst (at least one full message). */
	bytesPerSecond: number;
	byteBurst: number;
	/** Requests that make the server send a lot back (SyncStep1, awareness query) per second. */
	syncRequestsPerSecond: number;
	syncRequestBurst: number;
	/** Milliseconds of update-apply time per second a user may spend on the server, and burst. */
	cpuMsPerSecond: number;
	cpuBurstMs: number;
	/** Messages read but not yet handled before the socket is paused, and before it is closed. */
	queuePauseAt: number;
	queueCloseAt: number;
	/** Open realtime connections per user and per client address. */
	connectionsPerUser: number;
	connectionsPerIp: number;
	/** Bytes waiting in a socket's send buffer beyond which the reader is too slow and is closed. */
	maxBufferedBytes: number;
	/** Awareness: JSON size of one client's state, and client ids one connection may own. */
	maxAwarenessStateBytes: number;
	maxAwarenessClientsPerConnection: number;
	/** Updates at or above this size are test-applied in a worker first (time and memory bound). */
	trialThresholdBytes: number;
	/** Worker budget for a test-apply: fixed part plus a per-KiB part; the worker's heap cap. */
	trialBaseMs: number;
	trialMsPerKiB: number;
	trialHeapMb: number;
	/** Compaction: a board's log is folded into its snapshot past this many rows or bytes. */
	compactAfterRows: number;
	compactAfterBytes: number;
	/** How long a board with no connections stays in memory before it is unloaded. */
	unloadAfterMs: number;
	/** Ping interval; a peer that has not answered the previous ping by the next is dropped. */
	heartbeatMs: number;
	/** How often every open connection's session and membership are checked again. */
	recheckMs: number;
	/** Several processes on PostgreSQL: how often each beats through its board-log connection. */
	ownerBeatMs: number;
	/**
	 * A process whose last beat is older than this is taken for hung and its database session
	 * terminated, freeing its boards. Several beats long, so one late beat is not a hang.
	 */
	hungOwnerMs: number;
}

const KiB = 1024;
const MiB = 1024 * KiB;

export const DEFAULT_LIMITS: CollabLimits = {
	// ws's default is 100 MiB (WS-08). A whole-board SyncStep2 must fit in one message (a client
	// that was offline sends everything the server lacks); the document cap below is the same, so
	// any legitimate full state fits and nothing bigger is ever buffered.
	maxPayloadBytes: 2 * MiB,
	// A 500-card board with 5,000 edits of history is ~315 KB; 2 MiB leaves room for several
	// times that while bounding memory (a loaded board costs ~14× its encoded size in heap) (WS-09).
	maxDocBytes: 2 * MiB,
	// A fast typist with live cursors sends ~30 messages/s; 100/s sustained with a 500 burst never
	// throttles a person, and holds a flooding client to a rate the server can persist (WS-10).
	messagesPerSecond: 100,
	messageBurst: 500,
	// Edits are tens of bytes; 1 MiB/s sustained is far beyond typing, and the burst admits one
	// maximal message (an offline client's catch-up) plus room to spare.
	bytesPerSecond: 1 * MiB,
	byteBurst: 5 * MiB,
	// Each SyncStep1 makes the server encode and send a diff of the whole board (amplification):
	// clients send one per connection (plus an optional periodic resync).
	syncRequestsPerSecond: 1,
	syncRequestBurst: 10,
	// Applying ordinary edits costs microseconds. Crafted updates can cost milliseconds each
	// against a board full of conflicting items (yjs#687 and the YATA conflict scan); a user who
	// spends more than 20% of a core on update application is cut off (WS-07).
	cpuMsPerSecond: 200,
	cpuBurstMs: 2000,
	// ws keeps parsing frames already read from the socket after pause(); the queue is bounded by
	// pausing early and closing if a client still manages to pile up work.
	queuePauseAt: 32,
	queueCloseAt: 4096,
	// A person uses a few tabs; 16 leaves room and stops one account from exhausting sockets.
	connectionsPerUser: 16,
	// A whole workshop room can share one NAT address, so this is generous; it only stops a single
	// host from opening thousands of sockets. Behind a reverse proxy every client shares the
	// proxy's address: raise it there.
	connectionsPerIp: 256,
	// Twice a full-board sync plus slack: a reader this far behind is not keeping up (WS-10).
	maxBufferedBytes: 8 * MiB,
	// A name, a colour and a cursor fit in a few hundred bytes; 2 KiB is the checklist's bound
	// (WS-11). A provider has one client id; a few more allow its doc to be replaced in a tab.
	maxAwarenessStateBytes: 2 * KiB,
	maxAwarenessClientsPerConnection: 4,
	// Updates below 64 KiB (a few thousand structs) are applied directly: the structural check
	// already bounds their decoding, and their worst crafted apply cost measured ~30 ms. Larger
	// ones (catch-up syncs, big pastes) are first applied to an empty document in a worker, where
	// one that throws, exhausts the heap cap or overruns the deadline is refused before it can
	// stall or half-apply on the live board (WS-07).
	trialThresholdBytes: 64 * KiB,
	// Measured here: a 200 KB board state applies in ~20-40 ms warm but ~200 ms in a cold worker
	// (0.75 ms/KiB); the deadline sits well above that so legitimate updates are never refused.
	// It catches only gross abuse: Yjs's per-byte cost for crafted updates (~0.5 ms/KiB) is no
	// worse than a cold legitimate one, which is why the per-user CPU budget above exists.
	trialBaseMs: 250,
	trialMsPerKiB: 1,
	trialHeapMb: 256,
	// y-leveldb compacts every 500 updates; 1 MiB of log keeps cold loads fast (G6/G7).
	compactAfterRows: 500,
	compactAfterBytes: 1 * MiB,
	// Reloading a board costs ~25 ms; keeping it 30 s after the last tab closes covers reloads and
	// quick reconnects, and idle boards leave memory well within a minute (WS-13, G5).
	unloadAfterMs: 30_000,
	// y-websocket clients treat 30 s of silence as a dead link; the server uses the same horizon.
	heartbeatMs: 30_000,
	// Events close sockets at once on logout or removal; this catches expiry and changes made by
	// another process (a CLI, a second server).
	recheckMs: 60_000,
	ownerBeatMs: 2_000,
	// Five missed beats: a long GC pause or a busy disk is not a hang; a stopped process is.
	hungOwnerMs: 10_000
};
