import type { Browser, BrowserContext, Page } from '@playwright/test';
import { createInvite } from '../../src/lib/server/boards/invites';
import { createAction } from '../../src/lib/server/decisions/actions';
import { recordDecision } from '../../src/lib/server/decisions/decisions';
import { E2E } from './env';
import { createUser, dueIn, e2eDb, e2eSecret, expect, signIn, type TestUser } from './fixtures';
import { sessionCards, voteBoard } from './votes-helpers';

/**
 * Why a page does not fit a phone: the page itself scrolls sideways, or an interactive element
 * sits (partly) outside [0, viewport width]. An element scrolled away inside its own box (a
 * table that scrolls in place) is not counted while that box itself fits: the box scrolls, the
 * page does not.
 */
export async function sidewaysProblems(page: Page): Promise<string[]> {
	const width = page.viewportSize()!.width;
	// Measured in the page's own fonts: a fallback font's wider glyphs would mislead.
	await page.evaluate(() => document.fonts.ready);
	return page.evaluate((width) => {
		const out: string[] = [];
		const sw = document.documentElement.scrollWidth;
		if (sw > width) out.push(`page is ${sw} px wide`);
		const describe = (el: Element) => {
			const text = (el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 40);
			return `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} "${text}"`;
		};
		/** The nearest ancestor that clips horizontally (a box that scrolls on its own). */
		const clipper = (el: Element): Element | null => {
			for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
				const o = getComputedStyle(p).overflowX;
				if (o === 'auto' || o === 'scroll' || o === 'hidden' || o === 'clip') return p;
			}
			return null;
		};
		const selector =
			'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex="-1"])';
		for (const el of document.querySelectorAll(selector)) {
			const r = el.getBoundingClientRect();
			if (r.width === 0 || r.height === 0) continue;
			const style = getComputedStyle(el);
			if (style.visibility === 'hidden') continue;
			// Visually hidden helpers (1 px, clipped) are for screen readers, not fingers.
			if (r.width <= 1 && r.height <= 1) continue;
			if (r.left >= -1 && r.right <= width + 1) continue;
			const box = clipper(el);
			if (box) {
				const b = box.getBoundingClientRect();
				const clippedAway = r.right <= b.left + 1 || r.left >= b.right - 1;
				const boxFits = b.left >= -1 && b.right <= width + 1;
				if (boxFits && (clippedAway || (r.left >= b.left - 1 && r.right <= b.right + 1))) continue;
				if (boxFits && box.scrollWidth > box.clientWidth) continue;
			}
			out.push(`${describe(el)} at x ${Math.round(r.left)}–${Math.round(r.right)}`);
		}
		return out;
	}, width);
}

/** Context options a phone test's extra people get: the project's phone settings. */
export async function phoneContext(browser: Browser, user?: TestUser): Promise<BrowserContext> {
	const context = await browser.newContext();
	if (user) await signIn(context, user, E2E.baseURL);
	return context;
}

/** Sets the interface language of a context (the header's switch stores it in this cookie). */
export async function useLanguage(context: BrowserContext, lang: 'ja' | 'en') {
	await context.addCookies([{ name: 'lang', value: lang, url: E2E.baseURL }]);
}

export interface Workshop {
	board: string;
	facilitator: TestUser;
	participant: TestUser;
	/** A revealed ranking vote and an open 100-point vote. */
	revealed: number;
	open: number;
	decision: number;
	inviteToken: string;
}

/**
 * A workshop with something on every page: a revealed vote, an open one, a decision with an
 * action owned by the participant, and a live invite. Votes go through the forms (as the
 * facilitator's browser would post them), the decision straight through the domain functions.
 */
export async function workshop(browser: Browser): Promise<Workshop> {
	const db = e2eDb().db;
	const facilitator = await createUser(db, { displayName: '進行役 フォン', sector: 'government' });
	const participant = await createUser(db, { displayName: '参加者 フォン', sector: 'industry' });
	const board = await voteBoard(facilitator, [[participant, 'participant']]);
	const fac = await browser.newContext();
	await signIn(fac, facilitator, E2E.baseURL);
	const post = (path: string, form: Record<string, string>) =>
		fac.request.post(path, {
			form,
			headers: { Origin: E2E.baseURL, Accept: 'text/html' },
			maxRedirects: 0
		});
	const openVote = async (form: Record<string, string>) => {
		const r = await post(`/boards/${board}/votes?/open`, {
			scope: 'all',
			anonymous: 'on',
			...form
		});
		expect(r.status()).toBe(303);
		return Number(/\/votes\/(\d+)$/u.exec(r.headers().location ?? '')![1]);
	};
	// The facilitator casts the one ballot here, so facilitators vote in this session.
	const revealed = await openVote({
		title: '優先順位',
		method: 'ranking',
		top_n: '2',
		facilitators_vote: 'on'
	});
	const cards = await sessionCards(revealed);
	expect(
		(
			await post(`/boards/${board}/votes/${revealed}?/cast`, {
				[`c.${cards[0]}`]: '1',
				[`c.${cards[1]}`]: '2'
			})
		).status()
	).toBe(200);
	expect((await post(`/boards/${board}/votes/${revealed}?/close`, {})).status()).toBe(200);
	expect((await post(`/boards/${board}/votes/${revealed}?/reveal`, {})).status()).toBe(200);
	const open = await openVote({ title: '100 点の配分', method: 'points', total: '100' });
	await fac.close();

	const actor = { id: facilitator.id, name: facilitator.displayName };
	const d = await recordDecision(
		db,
		board,
		null,
		{
			text: 'データ連携基盤を最優先で整備する',
			rationale: '三つのセクターすべてが上位に挙げた。',
			dissent: [],
			cards: [],
			vote: null
		},
		actor,
		Date.now()
	);
	if (!d.ok) throw new Error(d.error);
	const a = await createAction(
		db,
		board,
		d.id,
		{
			title: '関係省庁との調整を始める',
			owner: { kind: 'member', userId: participant.id },
			due: dueIn(120),
			notes: ''
		},
		actor,
		Date.now()
	);
	if (!a.ok) throw new Error(a.error);
	const { token } = await createInvite(db, e2eSecret(), {
		boardId: board,
		role: 'participant',
		expiresAt: Date.now() + 3_600_000,
		maxUses: 50,
		note: 'スマートフォンで参加',
		by: facilitator.id,
		now: Date.now()
	});
	return {
		board,
		facilitator,
		participant,
		revealed,
		open,
		decision: d.id,
		inviteToken: token
	};
}
