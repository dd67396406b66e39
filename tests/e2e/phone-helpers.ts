import type { Browser, BrowserContext, Locator, Page } from '@playwright/test';
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

/**
 * Stricter than `sidewaysProblems`, for a dialog, menu or panel (`root`): every visible control
 * inside it lies wholly within [0, viewport width] — none is excused by a box that scrolls — and
 * the root itself does not scroll sideways. Also fails when `root` matches nothing visible.
 */
export async function controlsOutside(root: Locator): Promise<string[]> {
	await root.page().evaluate(() => document.fonts.ready);
	const width = root.page().viewportSize()!.width;
	return root.evaluate((box, width) => {
		const out: string[] = [];
		const b = box.getBoundingClientRect();
		if (b.width === 0 || b.height === 0) return ['not shown'];
		if (b.left < -1 || b.right > width + 1)
			out.push(`the box itself at x ${Math.round(b.left)}–${Math.round(b.right)}`);
		if (box.scrollWidth > box.clientWidth + 1)
			out.push(`scrolls sideways (${box.scrollWidth} in ${box.clientWidth} px)`);
		const selector =
			'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex="-1"])';
		for (const el of box.querySelectorAll(selector)) {
			const r = el.getBoundingClientRect();
			if (r.width === 0 || r.height === 0 || getComputedStyle(el).visibility === 'hidden') continue;
			if (r.width <= 1 && r.height <= 1) continue;
			if (r.left >= -1 && r.right <= width + 1) continue;
			const text = (el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 40);
			out.push(
				`${el.tagName.toLowerCase()} "${text}" at x ${Math.round(r.left)}–${Math.round(r.right)}`
			);
		}
		return out;
	}, width);
}

/**
 * Controls inside `root` too small for a finger (WCAG 2.5.5: 44 × 44 px; links inside running
 * text are exempt, as the rule allows), as "name height×width" lines.
 */
export async function smallTargets(root: Locator): Promise<string[]> {
	return root.evaluate((box) =>
		[
			...box.querySelectorAll(
				'button, select, input:not([type=checkbox]):not([type=radio]):not([type=hidden]), [role=tab], summary'
			)
		]
			.map((e) => ({ e, r: e.getBoundingClientRect() }))
			.filter(({ r }) => r.width > 0 && r.height > 0)
			.filter(({ e, r }) => r.height < 43.5 || (e.tagName === 'BUTTON' && r.width < 43.5))
			.map(
				({ e, r }) =>
					`${(e.getAttribute('aria-label') ?? e.textContent ?? '').trim().slice(0, 40)} ${Math.round(r.height)}×${Math.round(r.width)}`
			)
	);
}

/**
 * Text inside `root` drawn smaller than `min` px, as the reader sees it: an SVG's text counts at
 * the size the SVG is scaled to on screen, not at its nominal font size. Hidden text (an SVG's
 * title and description, visually hidden helpers, closed details) is not counted.
 */
export async function smallText(root: Locator, min = 12): Promise<string[]> {
	return root.evaluate((box, min) => {
		const out: string[] = [];
		const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
		const seen = new Set<Element>();
		for (let n = walker.nextNode(); n; n = walker.nextNode()) {
			const el = n.parentElement;
			if (!el || seen.has(el) || !n.textContent?.trim()) continue;
			seen.add(el);
			if (el.closest('title, desc, style, script')) continue;
			const r = el.getBoundingClientRect();
			if (r.width <= 1 || r.height <= 1) continue;
			let size = parseFloat(getComputedStyle(el).fontSize);
			if (el instanceof SVGElement) {
				const m = el.ownerSVGElement?.getScreenCTM();
				if (m) size *= Math.hypot(m.a, m.b);
			}
			if (size < min - 0.05)
				out.push(`"${n.textContent.trim().slice(0, 30)}" at ${size.toFixed(1)} px`);
		}
		return out;
	}, min);
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
	/**
	 * A revealed score vote (impact × feasibility) with six ballots from four sectors: its
	 * results show the 2×2 matrix and the support-by-sector table with three columns.
	 */
	scored: number;
	decision: number;
	inviteToken: string;
}

/**
 * A workshop with something on every page: a revealed ranking vote, a revealed score vote with
 * enough ballots for its sector breakdown, an open vote, a decision with an action owned by the
 * participant, and a live invite. Votes go through the forms (as the
 * facilitator's browser would post them), the decision straight through the domain functions.
 */
export async function workshop(browser: Browser): Promise<Workshop> {
	const db = e2eDb().db;
	const facilitator = await createUser(db, { displayName: '進行役 フォン', sector: 'government' });
	const participant = await createUser(db, { displayName: '参加者 フォン', sector: 'industry' });
	// More voters for the score vote: with groups of two shown, government and industry get a
	// column each and academia and civil society (one voter each) a merged one.
	const voters = [
		await createUser(db, { displayName: '行政 二人目', sector: 'government' }),
		await createUser(db, { displayName: '産業 二人目', sector: 'industry' }),
		await createUser(db, { displayName: '大学 研究者', sector: 'academia' }),
		await createUser(db, { displayName: '市民 団体', sector: 'civil_society' })
	];
	const board = await voteBoard(facilitator, [
		[participant, 'participant'],
		...voters.map((v) => [v, 'participant'] as [TestUser, 'participant'])
	]);
	const fac = await browser.newContext();
	await signIn(fac, facilitator, E2E.baseURL);
	const postAs = (context: BrowserContext, path: string, form: Record<string, string>) =>
		context.request.post(path, {
			form,
			headers: { Origin: E2E.baseURL, Accept: 'text/html' },
			maxRedirects: 0
		});
	const post = (path: string, form: Record<string, string>) => postAs(fac, path, form);
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

	// The score vote: every voter rates every card (impact c., feasibility f.) differently, so
	// the cards spread over the matrix's quadrants and the sectors disagree.
	const scored = await openVote({
		title: '効果と実現性',
		method: 'score',
		min_group: '2',
		facilitators_vote: 'on'
	});
	const scoredCards = await sessionCards(scored);
	const everyone = [facilitator, participant, ...voters];
	for (const [i, voter] of everyone.entries()) {
		const context = voter === facilitator ? fac : await browser.newContext();
		if (voter !== facilitator) await signIn(context, voter, E2E.baseURL);
		const ballot: Record<string, string> = {};
		for (const [j, card] of scoredCards.entries()) {
			ballot[`c.${card}`] = String(((i + j) % 5) + 1);
			ballot[`f.${card}`] = String(((i + 2 * j) % 5) + 1);
		}
		const r = await postAs(context, `/boards/${board}/votes/${scored}?/cast`, ballot);
		expect(r.status(), `${voter.displayName}'s score ballot`).toBe(200);
		if (voter !== facilitator) await context.close();
	}
	expect((await post(`/boards/${board}/votes/${scored}?/close`, {})).status()).toBe(200);
	expect((await post(`/boards/${board}/votes/${scored}?/reveal`, {})).status()).toBe(200);
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
		scored,
		decision: d.id,
		inviteToken: token
	};
}
