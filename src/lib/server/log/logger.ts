import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';

/**
 * The process's structured log (pino): one JSON line per event with level, time and fields, or
 * pino-pretty's readable lines when LOG_FORMAT=pretty (the default under `npm run dev`).
 * LOG_LEVEL picks the threshold (default `info`).
 *
 * Read from the environment here rather than from Config: both bundles (SvelteKit's server build
 * and the Node entry) log before and without the running app, and must agree.
 *
 * Redaction is the last line of defence (LOG-01): no code logs a password, token, cookie or
 * ballot on purpose, and these paths are censored should one ever be passed in.
 */
export const REDACT_PATHS = [
	'password',
	'*.password',
	'new_password',
	'*.new_password',
	'current_password',
	'*.current_password',
	'token',
	'*.token',
	'cookie',
	'*.cookie',
	'headers.cookie',
	'req.headers.cookie',
	'headers.authorization',
	'req.headers.authorization',
	'res.headers["set-cookie"]',
	'authorization',
	'ballot',
	'*.ballot',
	'entries',
	'*.entries'
];

export function createLogger(env: NodeJS.ProcessEnv = process.env): Logger {
	const level = env.LOG_LEVEL ?? 'info';
	const options = {
		level,
		base: { pid: process.pid },
		redact: { paths: REDACT_PATHS, censor: '[redacted]' },
		timestamp: pino.stdTimeFunctions.isoTime
	};
	const format = env.LOG_FORMAT ?? (env.NODE_ENV === 'development' ? 'pretty' : 'json');
	if (format === 'pretty')
		// A synchronous stream, not a transport: no worker thread to bundle or to lose lines in.
		return pino(options, pretty({ sync: true, colorize: true, translateTime: 'SYS:HH:MM:ss' }));
	if (format !== 'json') throw new Error(`LOG_FORMAT must be json or pretty, not ${format}`);
	return pino(options);
}

const KEY = Symbol.for('yoriai.logger');
type Holder = { [KEY]?: Logger };

/** One logger per process, shared by both bundles through globalThis (like the app). */
export const logger: Logger = ((globalThis as Holder)[KEY] ??= createLogger());
