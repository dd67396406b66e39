import type { App as YoriaiApp } from '$lib/server/app';
import type { SessionUser } from '$lib/server/auth/sessions';
import type { SessionRow } from '$lib/server/db/schema';
import type { Locale } from '$lib/i18n/messages';

declare global {
	namespace App {
		interface Error {
			message: string;
			id?: string;
		}
		interface Locals {
			app: YoriaiApp;
			user: SessionUser | null;
			session: SessionRow | null;
			locale: Locale;
			/** This request's id (as logged and sent back in `X-Request-Id`), for a route's own log lines. */
			requestId: string;
		}
	}
}

export {};
