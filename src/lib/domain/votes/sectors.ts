/**
 * Sector groups for results, with small groups merged so nobody is exposed.
 *
 * Sectors with fewer voters than the threshold are merged into one group ("small sectors
 * combined"). If that merged group would itself be smaller than the threshold, the smallest
 * sectors that did reach it are merged in too (secondary suppression): otherwise the merged
 * group's figures could be worked out by subtracting every shown group from the totals. When all
 * voters together are fewer than the threshold there is no breakdown at all.
 */
export interface SectorGroup {
	/** The sector, or "merged" for the group of small sectors combined. */
	key: string;
	sectors: string[];
	voters: number;
}

export interface SectorGrouping {
	groups: SectorGroup[];
	/** Voters in no group: only when all voters together are under the threshold. */
	hidden: number;
}

export const MERGED_GROUP = 'merged';

export function groupSectors(
	counts: ReadonlyMap<string, number>,
	threshold: number,
	order: readonly string[]
): SectorGrouping {
	const rank = (s: string) => {
		const i = order.indexOf(s);
		return i === -1 ? order.length : i;
	};
	const present = [...counts].filter(([, n]) => n > 0);
	const total = present.reduce((a, [, n]) => a + n, 0);
	if (total < threshold) return { groups: [], hidden: total };
	const big = present.filter(([, n]) => n >= threshold);
	const small = present.filter(([, n]) => n < threshold);
	let remainder = small.reduce((a, [, n]) => a + n, 0);
	// Secondary suppression: fold the smallest shown sectors in until the merged group is safe.
	big.sort(([a, n], [b, m]) => n - m || rank(a) - rank(b));
	// `big` cannot run out here: all voters together reach the threshold.
	while (remainder > 0 && remainder < threshold) {
		const next = big.shift()!;
		small.push(next);
		remainder += next[1];
	}
	const byOrder = (a: string, b: string) => rank(a) - rank(b) || a.localeCompare(b);
	const groups: SectorGroup[] = big
		.map(([s, n]) => ({ key: s, sectors: [s], voters: n }))
		.sort((a, b) => byOrder(a.key, b.key));
	if (small.length > 0) {
		groups.push({
			key: MERGED_GROUP,
			sectors: small.map(([s]) => s).sort(byOrder),
			voters: remainder
		});
	}
	return { groups, hidden: 0 };
}
