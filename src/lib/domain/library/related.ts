import { fold } from './fold';

/**
 * "Related across reports": for each item, the items in the OTHER reports that most likely say
 * the same thing, so a facilitator can merge duplicates into one card that keeps every source.
 *
 * The measure, in three steps:
 *
 * 1. Text similarity. Each item's Japanese text (title, summary and quote) is folded (fold.ts),
 *    stripped of whitespace, punctuation and symbols, and cut into overlapping character
 *    trigrams — the unit the search index uses, and one that needs no Japanese word
 *    segmentation. Each distinct trigram is weighted by its inverse document frequency,
 *    idf = ln(N / df), so trigrams found everywhere (「する」「の推進」) count for little and rare
 *    shared phrases (「研究セキュリ」) for much. Text similarity is the cosine of the two weight
 *    vectors. Trigrams that occur in one item only are left out of the norms: they can never be
 *    shared, and would otherwise let a long quote in its own wording hide the overlap it has.
 * 2. Theme agreement: the Jaccard index of the two items' theme sets (shared / all).
 * 3. score = text × (1 − THEME_WEIGHT + THEME_WEIGHT × themes). Shared themes keep a textual
 *    similarity whole; items that share no theme lose a quarter of it. Themes alone never make
 *    two items related.
 *
 * An item keeps at most TOP_K others, from other reports only, scoring at least THRESHOLD.
 * Both were chosen by reading the pairs the five curated reports produce: the reports paraphrase
 * each other rather than copy, so scores are low in absolute terms; above 0.12 the pairs are
 * mostly the same issue or measure in other words (「大学－企業間の研究人材の流動性が低い」 and
 * 「人材の流動性の低さ」 score 0.22), below it they increasingly share a topic only.
 */
export const RELATED_THRESHOLD = 0.12;
export const RELATED_TOP_K = 5;
export const THEME_WEIGHT = 0.25;

export interface RelatedDoc {
	id: string;
	/** Items in the same group (report) are never related to each other. */
	group: string;
	text: string;
	themes: readonly string[];
}

export interface Related {
	id: string;
	/** In [0, 1], rounded to three decimals so re-running the measure writes identical values. */
	score: number;
}

/** Whitespace, punctuation and symbols carry no meaning for the match (Unicode P, S, Z, C). */
const NOISE = /[\p{P}\p{S}\p{Z}\p{C}]/gu;

/** The distinct character trigrams of `text`, after folding and removing noise characters. */
export function trigrams(text: string): Set<string> {
	const chars = Array.from(fold(text).replace(NOISE, ''));
	const grams = new Set<string>();
	for (let i = 0; i + 2 < chars.length; i++) grams.add(`${chars[i]}${chars[i + 1]}${chars[i + 2]}`);
	return grams;
}

/** Jaccard index of two sets: |A ∩ B| / |A ∪ B|, 0 for two empty sets. */
export function jaccard(a: readonly string[], b: readonly string[]): number {
	const sa = new Set(a);
	const sb = new Set(b);
	let shared = 0;
	for (const x of sa) if (sb.has(x)) shared++;
	const union = sa.size + sb.size - shared;
	return union === 0 ? 0 : shared / union;
}

/** Combines text similarity and theme agreement as described above. */
export function relatedScore(textSimilarity: number, themeAgreement: number): number {
	return textSimilarity * (1 - THEME_WEIGHT + THEME_WEIGHT * themeAgreement);
}

/**
 * For every document, its related documents in other groups, best first (ties by id, so the
 * result does not depend on input order). Documents with nothing above the threshold are absent.
 */
export function relatedAcrossGroups(
	docs: readonly RelatedDoc[],
	{ threshold = RELATED_THRESHOLD, topK = RELATED_TOP_K } = {}
): Map<string, Related[]> {
	const grams = docs.map((d) => trigrams(d.text));
	// Each trigram's documents (an inverted index) and, from their number, its weight.
	const postings = new Map<string, number[]>();
	grams.forEach((set, doc) => {
		for (const g of set) {
			let list = postings.get(g);
			if (!list) postings.set(g, (list = []));
			list.push(doc);
		}
	});
	const weight = new Map<string, number>();
	for (const [g, list] of postings) {
		if (list.length > 1) weight.set(g, Math.log(docs.length / list.length));
	}
	const norms = grams.map((set) => {
		let sum = 0;
		for (const g of set) sum += (weight.get(g) ?? 0) ** 2;
		return Math.sqrt(sum);
	});

	const result = new Map<string, Related[]>();
	// Dot products of one document with all others, reset between documents via `touched`.
	const dots = new Float64Array(docs.length);
	const touched: number[] = [];
	docs.forEach((doc, a) => {
		const normA = norms[a] ?? 0;
		if (normA === 0) return;
		for (const g of grams[a] ?? []) {
			const w = weight.get(g);
			if (w === undefined || w === 0) continue;
			for (const b of postings.get(g) ?? []) {
				if (docs[b]?.group === doc.group) continue;
				if (dots[b] === 0) touched.push(b);
				dots[b] = (dots[b] ?? 0) + w * w;
			}
		}
		const found: Related[] = [];
		for (const b of touched) {
			const other = docs[b];
			const normB = norms[b] ?? 0;
			const text = (dots[b] ?? 0) / (normA * normB);
			dots[b] = 0;
			if (!other) continue;
			const score = round3(relatedScore(text, jaccard(doc.themes, other.themes)));
			if (score >= threshold) found.push({ id: other.id, score });
		}
		touched.length = 0;
		found.sort((x, y) => y.score - x.score || (x.id < y.id ? -1 : 1));
		if (found.length > 0) result.set(doc.id, found.slice(0, topK));
	});
	return result;
}

function round3(x: number): number {
	return Math.round(x * 1000) / 1000;
}
