import type { VoteSettings } from '$lib/domain/votes/methods';
import { MERGED_GROUP } from '$lib/domain/votes/sectors';
import type { Translate } from '$lib/i18n/translate';

/** The method with its parameters, in a sentence: "Dot voting: 5 dots, at most 3 per card". */
export function settingsSummary(s: VoteSettings, t: Translate): string {
	switch (s.method) {
		case 'dots':
			return t('vote.settings.dots', { budget: s.budget, cap: s.cap });
		case 'ranking':
			return t('vote.settings.ranking', { n: s.topN });
		case 'points':
			return t('vote.settings.points', { total: s.total });
		case 'score':
			return t('vote.settings.score');
		case 'approval':
			return t('vote.settings.approval');
	}
}

/** A sector group's name: the sector, or "small sectors combined" with their names. */
export function groupLabel(key: string, sectors: readonly string[], t: Translate): string {
	if (key !== MERGED_GROUP) return t(`sector.${key as 'other'}`);
	return t('results.group.mergedOf', {
		sectors: sectors.map((s) => t(`sector.${s as 'other'}`)).join('・')
	});
}

export const percent = (x: number) => `${Math.round(x * 100)}%`;

export const number = (x: number) => String(Math.round(x * 100) / 100);
