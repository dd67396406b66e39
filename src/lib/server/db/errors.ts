/**
 * Database errors the domain code tells apart, for both databases: SQLite reports a unique
 * constraint as SQLITE_CONSTRAINT_UNIQUE (better-sqlite3's `code`), PostgreSQL as SQLSTATE 23505
 * (node-postgres's `code`).
 */
export function isUniqueViolation(e: unknown): boolean {
	if (typeof e !== 'object' || e === null || !('code' in e)) return false;
	const code = (e as { code: unknown }).code;
	return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '23505';
}
