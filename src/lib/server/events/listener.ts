import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { z } from 'zod';
import { isPhase } from '../../domain/board/facilitation';
import { isBoardRole } from '../../domain/board/roles';
import type { App, AppEvents } from '../app';
import { pgClientConfig, type PgHandle } from '../db/postgres';
import { logger } from '../log/logger';
import { EVENTS_CHANNEL, type Envelope } from './announce';

/** How often the listening connection is checked: a silently dead TCP connection delivers nothing. */
const PING_MS = 5_000;
const RETRY_MAX_MS = 2_000;

const envelopeSchema = z.discriminatedUnion('name', [
	z.object({
		from: z.string().nullable(),
		name: z.literal('sessions-revoked'),
		args: z.tuple([z.array(z.string())])
	}),
	z.object({
		from: z.string().nullable(),
		name: z.literal('membership-changed'),
		args: z.tuple([
			z.object({
				boardId: z.string(),
				userId: z.number(),
				role: z.string().refine(isBoardRole).nullable()
			})
		])
	}),
	z.object({
		from: z.string().nullable(),
		name: z.literal('facilitation-changed'),
		args: z.tuple([
			z.object({ boardId: z.string(), phase: z.string().refine(isPhase), locked: z.boolean() })
		])
	})
]);

/**
 * This process's ear for the others (issue 15): one connection LISTENing on the events channel,
 * re-emitting what other processes announce (announce.ts) on this process's own `app.events`,
 * where the realtime server reacts exactly as to a local event. Its own announcements it has
 * already emitted locally, so it skips them by the process id they carry.
 *
 * NOTIFY delivers nothing to a connection that was not listening, so whenever the connection is
 * (re)opened after the first time, a 'resync' tells the realtime server to re-check every socket
 * and rule against the database. Written here rather than taken from pg-listen, whose last
 * release (2020) predates the pg versions Yoriai runs on; what is needed is this small loop.
 */
export class EventListener {
	readonly processId = randomUUID();
	private client: pg.Client | null = null;
	private closed = false;
	private opened = 0;
	private retryMs = 100;
	private ping: NodeJS.Timeout | null = null;
	private ready: Promise<void>;

	constructor(
		private readonly handle: PgHandle,
		private readonly events: App['events']
	) {
		this.ready = this.open();
	}

	/** Resolves once the first LISTEN is in place (tests wait for it; start-up does not need to). */
	listening(): Promise<void> {
		return this.ready;
	}

	async close(): Promise<void> {
		this.closed = true;
		if (this.ping) clearInterval(this.ping);
		const c = this.client;
		this.client = null;
		await c?.end().catch(() => undefined);
	}

	private async open(): Promise<void> {
		while (!this.closed) {
			const client = new pg.Client({
				...pgClientConfig(this.handle.url, this.handle.options),
				keepAlive: true
			});
			client.on('error', () => this.lost(client));
			client.on('end', () => this.lost(client));
			client.on('notification', (m) => {
				if (m.channel === EVENTS_CHANNEL && m.payload) this.deliver(m.payload);
			});
			try {
				await client.connect();
				await client.query(`listen ${EVENTS_CHANNEL}`);
			} catch (e) {
				await client.end().catch(() => undefined);
				logger.warn({ err: e }, `event listener cannot connect; retrying in ${this.retryMs} ms`);
				await new Promise((r) => setTimeout(r, this.retryMs));
				this.retryMs = Math.min(RETRY_MAX_MS, this.retryMs * 2);
				continue;
			}
			if (this.closed) {
				await client.end().catch(() => undefined);
				return;
			}
			this.client = client;
			this.retryMs = 100;
			this.ping ??= setInterval(() => this.check(), PING_MS).unref();
			if (this.opened++ > 0) {
				logger.info('event listener reconnected: re-checking every socket');
				this.events.emit('resync');
			}
			return;
		}
	}

	private check(): void {
		const c = this.client;
		if (!c) return;
		c.query('select 1').catch(() => this.lost(c));
	}

	private lost(client: pg.Client): void {
		if (this.client !== client || this.closed) return;
		this.client = null;
		client.end().catch(() => undefined);
		// Events announced from now until the LISTEN is back are missed: the resync covers them.
		this.ready = this.open();
	}

	private deliver(payload: string): void {
		let parsed: Envelope;
		try {
			parsed = envelopeSchema.parse(JSON.parse(payload)) as Envelope;
		} catch (e) {
			logger.error({ err: e }, 'unreadable event from another process');
			return;
		}
		if (parsed.from === this.processId) return;
		(this.events.emit as (n: string, ...a: AppEvents[keyof AppEvents]) => boolean)(
			parsed.name,
			...parsed.args
		);
	}
}
