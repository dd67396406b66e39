import { sql } from 'kysely';
import { addCard, readBoard } from '../../src/lib/domain/board/doc';
import { seriousViolations } from './a11y';
import { craftedClient } from './crafted-client';
import { E2E } from './env';
import {
	cardOn,
	createUser,
	e2eDb,
	expect,
	makeBoard,
	open,
	openBoard,
	postForm,
	signIn,
	test
} from './fixtures';

async function rowsOf(table: string, boardId: string): Promise<number> {
	const column = table === 'boards' ? 'id' : 'board_id';
	// The table and column are this file's constants.
	/* eslint-disable no-restricted-syntax */
	const { rows } = await sql<{
		n: number;
	}>`select count(*) as n from ${sql.table(table)} where ${sql.ref(column)} = ${boardId}`.execute(
		e2eDb().db
	);
	/* eslint-enable no-restricted-syntax */
	return rows[0]!.n;
}

test('AC-01 an archived board refuses every write — forms, actions and a crafted socket client, the facilitator’s too — until restored', async ({
	browser,
	user
}) => {
	const p = await createUser(e2eDb().db, { displayName: '参加者' });
	const id = await makeBoard(user, [[p, 'participant']]);
	const fac = await openBoard(browser, user, id);
	await open(fac, `/boards/${id}/settings`);
	expect(await seriousViolations(fac)).toEqual([]);
	await fac.getByRole('button', { name: 'ボードをアーカイブ' }).click();
	await expect(
		fac.getByRole('status').filter({ hasText: 'からアーカイブされています' })
	).toBeVisible();

	// Listed apart on /boards, for the participant too.
	const part = await (await browser.newContext()).newPage();
	await signIn(part.context(), p, E2E.baseURL);
	await open(part, '/boards');
	await expect(part.getByRole('region', { name: /アーカイブ済み/u })).toContainText(
		'e2e ワークショップ'
	);
	// The participant cannot restore it (settings are for facilitators).
	expect((await postForm(part, `/boards/${id}/settings?/restore`, {})).status()).toBe(403);

	// Form posts are refused with the archived message.
	for (const [path, form] of [
		[`/boards/${id}/facilitation?/phase`, { phase: 'vote' }],
		[`/boards/${id}/facilitation?/lock`, { locked: '1' }],
		[
			`/boards/${id}/invites?/create`,
			{ role: 'participant', expires: '2h', max_uses: '5', note: '' }
		],
		[`/boards/${id}/present?/invite`, {}]
	] as const) {
		const res = await postForm(fac, path, form);
		expect(res.status(), path).toBe(409);
		expect(await res.text()).toContain('このボードはアーカイブされています');
	}

	// The board page offers no editing and says why; the socket refuses a crafted client.
	await open(fac, `/boards/${id}`);
	await expect(fac.getByText('閲覧と書き出しのみできます')).toBeVisible();
	await expect(fac.getByRole('button', { name: 'フェーズを切り替え' })).toHaveCount(0);
	await expect(fac.getByRole('button', { name: '元に戻す' })).toHaveCount(0);
	const crafted = await craftedClient(user, id);
	const lane = readBoard(crafted.doc).lanes[0]!.id;
	addCard(crafted.doc, {
		title: 'アーカイブ中の追加',
		lane,
		author: { id: user.id, name: user.displayName },
		now: Date.now()
	});
	await fac.waitForTimeout(1500);
	await expect(cardOn(fac, 'アーカイブ中の追加')).toHaveCount(0);
	crafted.destroy();
	await fac.reload();
	await expect(cardOn(fac, 'アーカイブ中の追加')).toHaveCount(0);
	// Reading and the projector view still work.
	await open(part, `/boards/${id}/present`);
	await expect(part.getByText('アーカイブ済み')).toBeVisible();

	// Restored: writes go through again.
	await open(fac, `/boards/${id}/settings`);
	await fac.getByRole('button', { name: 'ボードを復元' }).click();
	await expect(fac.getByRole('button', { name: 'ボードをアーカイブ' })).toBeVisible();
	const fresh = await craftedClient(user, id);
	addCard(fresh.doc, {
		title: '復元後の追加',
		lane,
		author: { id: user.id, name: user.displayName },
		now: Date.now()
	});
	await open(fac, `/boards/${id}`);
	await expect(cardOn(fac, '復元後の追加')).toBeVisible();
	fresh.destroy();
	expect(
		(await postForm(fac, `/boards/${id}/facilitation?/phase`, { phase: 'vote' })).status()
	).toBeLessThan(400);
	await fac.context().close();
	await part.context().close();
});

test('AC-01 deleting: refused for a board with content, done for an empty one after typing its title; rows gone, sockets closed, other boards untouched', async ({
	browser,
	user
}) => {
	const used = await makeBoard(user);
	const empty = await makeBoard(user);
	const other = await makeBoard(user);
	const crafted = await craftedClient(user, used);
	addCard(crafted.doc, {
		title: '誰かの意見',
		lane: readBoard(crafted.doc).lanes[0]!.id,
		author: { id: user.id, name: user.displayName },
		now: Date.now()
	});
	await new Promise((r) => setTimeout(r, 500));
	crafted.destroy();

	const fac = await openBoard(browser, user, used);
	await open(fac, `/boards/${used}/settings`);
	await expect(fac.getByText('削除できません')).toBeVisible();
	await expect(fac.getByRole('listitem').filter({ hasText: '参加者が書いたカード' })).toBeVisible();
	await expect(fac.getByRole('button', { name: 'ボードを削除する' })).toHaveCount(0);
	// A crafted post with the right title is refused all the same.
	const refused = await postForm(fac, `/boards/${used}/settings?/delete`, {
		confirm: 'e2e ワークショップ'
	});
	expect(refused.status()).toBe(409);
	expect(await rowsOf('boards', used)).toBe(1);

	// The empty board, open in another context while it is deleted.
	const watcher = await openBoard(browser, user, empty);
	await open(fac, `/boards/${empty}/settings`);
	await fac.getByLabel(/ボード名「e2e ワークショップ」を入力/u).fill('e2e ワークショップ（違う）');
	await fac.getByRole('button', { name: 'ボードを削除する' }).click();
	await expect(fac.getByText('ボード名が一致しません。')).toBeVisible();
	expect(await rowsOf('boards', empty)).toBe(1);
	expect(await seriousViolations(fac)).toEqual([]);
	await fac.getByLabel(/ボード名「e2e ワークショップ」を入力/u).fill('e2e ワークショップ');
	await fac.getByRole('button', { name: 'ボードを削除する' }).click();
	await expect(fac).toHaveURL(/\/boards\?deleted=1$/u);
	await expect(fac.getByText('ボードを削除しました。')).toBeVisible();
	await expect(watcher.getByText('接続が終了しました')).toBeVisible();
	for (const table of [
		'boards',
		'board_members',
		'collab_updates',
		'collab_snapshots',
		'board_facilitation',
		'board_audit'
	])
		expect(await rowsOf(table, empty), table).toBe(0);
	expect((await watcher.goto(`/boards/${empty}`))?.status()).toBe(404);

	// The others are as they were.
	await open(fac, `/boards/${other}`);
	await expect(fac.locator('article[data-card-id]')).toHaveCount(8);
	await open(fac, `/boards/${used}`);
	await expect(cardOn(fac, '誰かの意見')).toBeVisible();
	await fac.context().close();
	await watcher.context().close();
});
