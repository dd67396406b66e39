import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import {
	DatabaseInUseError,
	lockDatabase,
	lockPathFor
} from '../../src/lib/server/db/process-lock';

/** Tries to take the lock in another Node process; returns its exit code and output. */
function lockInChild(databasePath: string): { status: number | null; output: string } {
	const script = `
		import { lockDatabase } from ${JSON.stringify(join(process.cwd(), 'src/lib/server/db/process-lock.ts'))};
		try { lockDatabase(process.argv[1], 'child'); console.log('locked'); }
		catch (e) { console.log(e.name + ': ' + e.message); process.exit(3); }`;
	const r = spawnSync('npx', ['tsx', '--eval', script, databasePath], { encoding: 'utf8' });
	return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe('one process per database file', () => {
	const dirs: string[] = [];
	const tempDir = () => {
		const d = mkdtempSync(join(tmpdir(), 'yoriai-lock-'));
		dirs.push(d);
		return d;
	};
	afterEach(() => {
		for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
	});

	test('DUR-02 while one process holds the lock another is refused; after release it may take it', () => {
		const db = join(tempDir(), 'y.db');
		const lock = lockDatabase(db, 'test');
		const refused = lockInChild(db);
		expect(refused.status).toBe(3);
		expect(refused.output).toContain(`DatabaseInUseError: another Yoriai process is using ${db}`);
		lock.release();
		const taken = lockInChild(db);
		expect(taken.status).toBe(0);
		expect(taken.output).toContain('locked');
	}, 30_000);

	test('DUR-02 the holding process may take it again (dev server restarts); it is freed with the last release', () => {
		const db = join(tempDir(), 'y.db');
		const a = lockDatabase(db, 'first');
		const b = lockDatabase(db, 'second');
		a.release();
		a.release(); // twice is harmless
		expect(lockInChild(db).status).toBe(3);
		b.release();
		expect(lockInChild(db).status).toBe(0);
	}, 30_000);

	test('DUR-02 two names for one folder share one lock; other files have their own', () => {
		const dir = tempDir();
		const link = join(tempDir(), 'link');
		symlinkSync(dir, link);
		expect(lockPathFor(join(link, 'y.db'))).toBe(lockPathFor(join(dir, 'y.db')));
		const lock = lockDatabase(join(dir, 'y.db'), 'test');
		expect(() => lockDatabase(join(dir, 'other.db'), 'test').release()).not.toThrow();
		lock.release();
		expect(new DatabaseInUseError('a', 'b').message).toContain('stop the other process first');
	});
});
