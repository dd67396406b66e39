import { resolve } from 'node:path';

/** The source reports live in `../shared/reports` beside the checkout unless told otherwise. */
export function reportsDir(): string {
	return resolve(process.env.YORIAI_REPORTS_DIR ?? resolve(process.cwd(), '../shared/reports'));
}

export function seedReportsDir(): string {
	return resolve(process.cwd(), 'seeds/reports');
}
