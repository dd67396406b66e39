import { error } from '@sveltejs/kit';
import { THEMES, type ThemeKey } from '$lib/domain/library/vocabulary';
import { itemsByTheme } from '$lib/server/reports/themes';
import type { PageServerLoad } from './$types';

const isTheme = (key: string): key is ThemeKey => Object.hasOwn(THEMES, key);

export const load: PageServerLoad = async ({ locals, params }) => {
	if (!isTheme(params.theme)) error(404, 'Not Found');
	return { theme: params.theme, columns: await itemsByTheme(locals.app.db, params.theme) };
};
