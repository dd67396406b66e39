import { e2eDb } from './fixtures';

/** How many imports `user` brought in (other import tests run alongside, so only theirs count). */
export async function importRows(user: { id: number }): Promise<number> {
	const { n } = await e2eDb()
		.db.selectFrom('report_imports')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('created_by', '=', user.id)
		.executeTakeFirstOrThrow();
	return Number(n);
}
