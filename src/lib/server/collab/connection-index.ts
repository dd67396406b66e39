import type { Connection } from './connection';
import type { CollabLimits } from './limits';
import { TokenBucket } from './token-bucket';

/**
 * Every open connection, findable by session and by user (WS-12: logout, revocation and role
 * changes reach open sockets at once), with per-user and per-address counts for admission.
 */
export class ConnectionIndex {
	readonly all = new Set<Connection>();
	private readonly bySession = new Map<string, Set<Connection>>();
	private readonly byUser = new Map<number, Set<Connection>>();
	private readonly byIp = new Map<string, number>();
	private readonly cpu = new Map<number, TokenBucket>();

	constructor(private readonly limits: CollabLimits) {}

	/** Whether one more connection fits under the per-user and per-address limits (WS-10). */
	admits(userId: number, ip: string): 'ok' | 'user' | 'ip' {
		if ((this.byUser.get(userId)?.size ?? 0) >= this.limits.connectionsPerUser) return 'user';
		if ((this.byIp.get(ip) ?? 0) >= this.limits.connectionsPerIp) return 'ip';
		return 'ok';
	}

	add(conn: Connection): void {
		this.all.add(conn);
		addTo(this.bySession, conn.sessionId, conn);
		addTo(this.byUser, conn.user.id, conn);
		this.byIp.set(conn.ip, (this.byIp.get(conn.ip) ?? 0) + 1);
	}

	remove(conn: Connection): void {
		if (!this.all.delete(conn)) return;
		removeFrom(this.bySession, conn.sessionId, conn);
		removeFrom(this.byUser, conn.user.id, conn);
		const n = (this.byIp.get(conn.ip) ?? 1) - 1;
		if (n > 0) this.byIp.set(conn.ip, n);
		else this.byIp.delete(conn.ip);
		if (!this.byUser.has(conn.user.id)) this.cpu.delete(conn.user.id);
	}

	forSession(sessionId: string): Connection[] {
		return [...(this.bySession.get(sessionId) ?? [])];
	}

	forUser(userId: number): Connection[] {
		return [...(this.byUser.get(userId) ?? [])];
	}

	/** One budget per user across their connections: more sockets buy no more server time. */
	cpuBudget(userId: number): TokenBucket {
		let b = this.cpu.get(userId);
		if (!b) {
			b = new TokenBucket(this.limits.cpuMsPerSecond, this.limits.cpuBurstMs);
			this.cpu.set(userId, b);
		}
		return b;
	}
}

function addTo<K>(map: Map<K, Set<Connection>>, key: K, conn: Connection): void {
	let set = map.get(key);
	if (!set) map.set(key, (set = new Set()));
	set.add(conn);
}

function removeFrom<K>(map: Map<K, Set<Connection>>, key: K, conn: Connection): void {
	const set = map.get(key);
	set?.delete(conn);
	if (set?.size === 0) map.delete(key);
}
