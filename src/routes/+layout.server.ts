import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals }) => ({
	locale: locals.locale,
	// Only what the page shows: never the session, its id or the password hash.
	user: locals.user
		? {
				username: locals.user.username,
				displayName: locals.user.display_name,
				sector: locals.user.sector,
				isAdmin: locals.user.is_admin === 1
			}
		: null
});
