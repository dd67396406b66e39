import { requireUser } from '$lib/server/auth/guards';
import { personalData } from '$lib/server/account/data';
import type { RequestHandler } from './$types';

/** "Download my data": the signed-in person's own data only, never cached. */
export const GET: RequestHandler = async (event) => {
	const { user } = requireUser(event);
	const { app } = event.locals;
	const data = await personalData(app, user.id);
	const day = new Date(app.now()).toISOString().slice(0, 10);
	return new Response(JSON.stringify(data, null, 2), {
		headers: {
			'Content-Type': 'application/json; charset=utf-8',
			'Content-Disposition': `attachment; filename="yoriai-my-data-${day}.json"`,
			'Cache-Control': 'no-store'
		}
	});
};
